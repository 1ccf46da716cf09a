package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.ContainerState;
import io.berth.cri.v1.ContainerStatusRequest;
import io.berth.cri.v1.ContainerStatusResponse;
import io.berth.cri.v1.ListContainersRequest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Remove one or more containers")
public final class RemoveContainerCommand extends CriCommand {
    @Option(names = {"-f", "--force"}, description = "Force removal of the container, disregarding if running")
    boolean force;

    @Option(names = {"-k", "--keep-logs"}, description = "Preserve the container log file and its rotations")
    boolean keepLogs;

    @Option(names = {"-a", "--all"}, description = "Remove all containers")
    boolean all;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        Aggregate.forEachTarget(s, ids, all,
                () -> rpc(s, "", () -> s.runtime().listContainers(ListContainersRequest.getDefaultInstance()))
                        .getContainersList().stream().map(Container::getId).toList(),
                "No containers to remove", id -> remove(s, id));
    }

    private void remove(Session s, String id) {
        ContainerStatusResponse r = rpc(s, "getting container status " + q(id),
                () -> s.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build()));
        if (r.getStatus().getState() == ContainerState.CONTAINER_RUNNING) {
            if (!force) {
                throw fail("container " + q(id) + " is running, please stop it first");
            }
            ContainerLifecycle.stop(s, "stopping the container " + q(id), id, 0);
        }
        ContainerLifecycle.remove(s, "removing container " + q(id), id);
        if (!keepLogs) {
            removeLogs(s, id, r.getStatus().getLogPath());
        }
    }

    /** crictl removes the log file and its rotations ({@code path.*}) from the client's filesystem. */
    private static void removeLogs(Session s, String id, String logPath) {
        if (logPath.isEmpty()) {
            return;
        }
        Path log = Path.of(logPath);
        List<Path> files = new ArrayList<>();
        Path dir = log.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir)) {
            String prefix = log.getFileName().toString() + ".";
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
                ds.forEach(files::add);
            } catch (IOException ignored) {
                // no rotations to remove
            }
        }
        files.add(log);
        for (Path f : files) {
            try {
                Files.delete(f);
            } catch (IOException e) {
                s.log().error("removing log file " + f + " for container " + q(id) + " failed: " + ioText(f, e));
            }
        }
    }

    private static String ioText(Path f, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "remove " + f + ": no such file or directory";
        }
        return e.getMessage();
    }
}
