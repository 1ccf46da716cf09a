package io.berth.cli.app;

import io.berth.cli.connect.CriConnection;
import io.berth.cli.connect.Endpoint;
import io.berth.cli.connect.RpcErrors;
import io.berth.cri.v1.ImageServiceGrpc;
import io.berth.cri.v1.RuntimeServiceGrpc;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What one berthctl invocation works with: the resolved settings, stdout, the log, and the CRI
 * connections, opened on first use (so {@code config} and {@code completion} never connect) and shared
 * when the runtime and image endpoints are the same.
 */
public final class Session implements AutoCloseable {
    private final Settings settings;
    private final PrintWriter out;
    private final Log log;
    private final Function<Endpoint, CriConnection> connector;
    private final Map<String, CriConnection> connections = new LinkedHashMap<>();
    private final Streams streams;

    /** The byte streams behind stdout and stderr, for output that is bytes (container logs). */
    public record Streams(java.io.OutputStream out, java.io.OutputStream err) {
    }

    public Session(Settings settings, PrintWriter out, Log log, Function<Endpoint, CriConnection> connector,
                   Streams streams) {
        this.settings = settings;
        this.out = out;
        this.log = log;
        this.connector = connector;
        this.streams = streams;
    }

    public Streams streams() {
        return streams;
    }

    public Settings settings() {
        return settings;
    }

    public PrintWriter out() {
        return out;
    }

    public Log log() {
        return log;
    }

    public Duration timeout() {
        return settings.timeout();
    }

    /** The runtime service with crictl's per-call deadline (the global --timeout). */
    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return runtimeConnection().runtime(settings.timeout());
    }

    /** The runtime service with a command's own timeout (e.g. --cancel-timeout); zero means the global one. */
    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration custom) {
        Duration d = custom == null || custom.isZero() ? settings.timeout() : custom;
        return runtimeConnection().runtime(d);
    }

    public ImageServiceGrpc.ImageServiceBlockingStub image() {
        return imageConnection().image(settings.timeout());
    }

    /** The image service without a deadline (crictl's PullImage only has the optional --pull-timeout). */
    public ImageServiceGrpc.ImageServiceBlockingStub imageWithDeadline(Duration deadlineOrNull) {
        return imageConnection().image(deadlineOrNull);
    }

    public CriConnection runtimeConnection() {
        if (settings.runtimeEndpointSet() && settings.runtimeEndpoint().isEmpty()) {
            throw new CliException("--runtime-endpoint is not set");
        }
        return connection(settings.runtimeEndpoint());
    }

    public CriConnection imageConnection() {
        String ep = settings.effectiveImageEndpoint();
        if (ep.isEmpty()) {
            throw new CliException("--image-endpoint is not set");
        }
        return connection(ep);
    }

    private CriConnection connection(String endpoint) {
        return connections.computeIfAbsent(endpoint, ep -> {
            Endpoint parsed;
            try {
                parsed = Endpoint.parse(ep);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            if (parsed.isLegacyPath()) {
                log.warn("Using \"" + ep + "\" as endpoint is deprecated, please consider using full url format \"unix://"
                        + ep + "\".");
            }
            log.debug("Connect using endpoint \"" + ep + "\" with \"" + GoDuration.format(settings.timeout())
                    + "\" timeout");
            return connector.apply(parsed);
        });
    }

    /** A failed RPC as crictl reports it: "context: rpc error: code = X desc = Y". */
    public CliException rpcFailure(String context, StatusRuntimeException e, boolean imageService) {
        Endpoint ep = null;
        try {
            ep = Endpoint.parse(imageService ? settings.effectiveImageEndpoint() : settings.runtimeEndpoint());
        } catch (IllegalArgumentException ignored) {
            // described without the endpoint
        }
        String rpc = RpcErrors.describe(e, ep);
        return new CliException(context == null || context.isEmpty() ? rpc : context + ": " + rpc);
    }

    public CliException rpcFailure(String context, StatusRuntimeException e) {
        return rpcFailure(context, e, false);
    }

    @Override
    public void close() {
        out.flush();
        for (CriConnection c : connections.values()) {
            c.close();
        }
        connections.clear();
    }
}
