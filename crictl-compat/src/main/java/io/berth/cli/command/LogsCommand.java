package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.logs.CriLogReader;
import io.berth.cli.logs.LogOptions;
import io.berth.cli.logs.SinceParser;
import io.berth.cri.v1.ContainerState;
import io.berth.cri.v1.ContainerStatusRequest;
import io.berth.cri.v1.ContainerStatusResponse;
import io.berth.cri.v1.ReopenContainerLogRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Fetch the logs of a container")
public final class LogsCommand extends CriCommand {
    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = {"-p", "--previous"}, description = "Print the logs for the previous instance of the container in a pod if it exists")
    boolean previous;

    @Option(names = {"-r", "--reopen"}, description = "Reopen the container logs for the provided container")
    boolean reopen;

    @Option(names = "--tail", defaultValue = "-1", description = "Number of lines to show from the end of the logs. Defaults to all")
    long tail;

    @Option(names = "--limit-bytes", defaultValue = "-1", description = "Maximum bytes of logs to return. Defaults to no limit")
    long limitBytes;

    @Option(names = "--since", defaultValue = "", description = "Show logs since timestamp (e.g. 2013-01-02T13:23:37) or relative (e.g. 42m for 42 minutes)")
    String since;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER-ID")
    List<String> args = new ArrayList<>();

    @Override
    protected void run(Session s) {
        String id = args.isEmpty() ? "" : args.get(0);
        if (id.isEmpty()) {
            throw fail("ID cannot be empty");
        }
        if (args.size() > 1) {
            throw showHelp();
        }
        if (reopen) {
            rpc(s, "reopen container logs", () -> s.runtime().reopenContainerLog(
                    ReopenContainerLogRequest.newBuilder().setContainerId(id).build()));
            s.log().info("Container logs reopened");
        }
        Instant sinceTime;
        try {
            sinceTime = SinceParser.parse(since, Instant.now(), ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
        ContainerStatusResponse status = rpc(s, "", () -> s.runtime().containerStatus(
                ContainerStatusRequest.newBuilder().setContainerId(id).build()));
        String logPath = status.getStatus().getLogPath();
        if (logPath.isEmpty()) {
            throw fail("the container has not set log path");
        }
        if (previous) {
            int attempt = status.getStatus().getMetadata().getAttempt();
            if (attempt == 0) {
                throw fail("previous terminated container " + status.getStatus().getMetadata().getName() + " not found");
            }
            // <dir>/<attempt-1>.log, as kubelet names the log of each restart
            logPath = logPath.substring(0, logPath.lastIndexOf('/') + 1) + Integer.toUnsignedString(attempt - 1)
                    + logPath.substring(logPath.lastIndexOf('.'));
        }
        s.out().flush();
        LogOptions opts = new LogOptions(tail, limitBytes, sinceTime, follow, timestamps);
        String cid = status.getStatus().getId();
        try {
            new CriLogReader(opts, s.streams().out(), s.streams().err()).read(Path.of(logPath), () -> isRunning(s, cid));
        } catch (IOException e) {
            throw fail(e.getMessage());
        }
    }

    /** kubelet's isContainerRunning: an unavailable runtime counts as running (keep following). */
    private static boolean isRunning(Session s, String id) {
        try {
            ContainerStatusResponse r = s.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build());
            return r.getStatus().getState() == ContainerState.CONTAINER_RUNNING;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                return true;
            }
            throw s.rpcFailure("", e);
        }
    }
}
