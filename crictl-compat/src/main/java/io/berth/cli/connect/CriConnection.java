package io.berth.cli.connect;

import io.berth.cri.v1.ImageServiceGrpc;
import io.berth.cri.v1.RuntimeServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel to a CRI endpoint, over an epoll unix domain socket or TCP, plaintext, with the
 * 16 MiB inbound limit of kubelet and crictl. Stubs carry a deadline per call, as crictl gives every
 * RPC its {@code --timeout}.
 */
public final class CriConnection implements AutoCloseable {
    public static final int MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;
    /**
     * grpc-netty always asks for SO_KEEPALIVE, which a unix socket does not have, and netty warns about
     * it on every connect, on the user's terminal. Held strongly: JUL keeps loggers weakly.
     */
    private static final java.util.logging.Logger NETTY_BOOTSTRAP_LOG =
            java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");
    /** grpc-netty 1.82 reports at INFO whether epoll was found, on every run of the CLI. */
    private static final java.util.logging.Logger GRPC_TCP_METRICS_LOG =
            java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.TcpMetrics");

    private final Endpoint endpoint;
    private final ManagedChannel channel;
    private final EventLoopGroup eventLoop;

    private CriConnection(Endpoint endpoint, ManagedChannel channel, EventLoopGroup eventLoop) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.eventLoop = eventLoop;
    }

    /** Opens (lazily: gRPC connects on the first call) a channel to {@code endpoint}. */
    public static CriConnection open(Endpoint endpoint) {
        NETTY_BOOTSTRAP_LOG.setLevel(java.util.logging.Level.SEVERE);
        GRPC_TCP_METRICS_LOG.setLevel(java.util.logging.Level.WARNING);
        NettyChannelBuilder builder;
        EventLoopGroup group = null;
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            // daemon threads, so a CLI that forgets to close never hangs at exit
            group = new EpollEventLoopGroup(1, r -> {
                Thread t = new Thread(r, "berthctl-epoll");
                t.setDaemon(true);
                return t;
            });
            builder = NettyChannelBuilder.forAddress(new DomainSocketAddress(endpoint.path()))
                    .eventLoopGroup(group)
                    .channelType(EpollDomainSocketChannel.class)
                    // like Go's grpc with a unix dialer, the :authority is "localhost"
                    .overrideAuthority("localhost");
        } else {
            builder = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port());
        }
        ManagedChannel channel = builder
                .negotiationType(NegotiationType.PLAINTEXT)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .directExecutor()
                .build();
        return new CriConnection(endpoint, channel, group);
    }

    /** Wraps an existing channel (tests use an in-process one). */
    public static CriConnection over(Endpoint endpoint, ManagedChannel channel) {
        return new CriConnection(endpoint, channel, null);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration deadline) {
        RuntimeServiceGrpc.RuntimeServiceBlockingStub stub = RuntimeServiceGrpc.newBlockingStub(channel);
        return deadline == null ? stub : stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    public ImageServiceGrpc.ImageServiceBlockingStub image(Duration deadline) {
        ImageServiceGrpc.ImageServiceBlockingStub stub = ImageServiceGrpc.newBlockingStub(channel);
        return deadline == null ? stub : stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    public RuntimeServiceGrpc.RuntimeServiceStub runtimeAsync() {
        return RuntimeServiceGrpc.newStub(channel);
    }

    public ImageServiceGrpc.ImageServiceStub imageAsync() {
        return ImageServiceGrpc.newStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (eventLoop != null) {
            eventLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }
}
