package io.berth.cli.it;

import io.berth.cli.connect.CriConnection;
import io.berth.cli.connect.Endpoint;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.PodSandbox;
import io.berth.cri.v1.RemovePodSandboxRequest;
import io.berth.cri.v1.StopPodSandboxRequest;
import io.berth.cri.v1.VersionRequest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's containerd 1.6 as a private daemon for one test: root, state, sockets, CNI config and
 * registry hosts all under the test's temp dir, the CRI plugin with runc through the runc v2 shim
 * (cgroupfs, oom_score_adj never lowered: this VM lacks CAP_SYS_RESOURCE), the sandbox image and the
 * test images from the registry fixture over plain http. close() removes the pods, stops containerd by
 * its PID, kills the shims it left (only those serving this socket), unmounts what is under its dirs and
 * deletes the bridge.
 */
final class PrivateContainerd implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/containerd");

    private final Path dir;
    private final CniTestNetwork network;
    private final Process process;
    private final Path socket;
    private final Path log;

    private PrivateContainerd(Path dir, CniTestNetwork network, Process process, Path socket, Path log) {
        this.dir = dir;
        this.network = network;
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** Fails (never skips) when containerd is not installed. */
    static void requireBinary() {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("containerd is not installed: apt-get install containerd"
                    + " (with a policy-rc.d that exits 101, so that Debian's service does not start)");
        }
    }

    static PrivateContainerd start(Path dir, String registryHostPort, String sandboxImage, CniTestNetwork network)
            throws IOException, InterruptedException {
        requireBinary();
        Path socket = dir.resolve("c.sock");
        Path certs = Files.createDirectories(dir.resolve("certs.d").resolve(registryHostPort));
        Files.writeString(certs.resolve("hosts.toml"), String.join("\n",
                "server = \"http://" + registryHostPort + "\"",
                "[host.\"http://" + registryHostPort + "\"]",
                "  capabilities = [\"pull\", \"resolve\"]", ""));
        String cri = "[plugins.\"io.containerd.grpc.v1.cri\"";
        Path config = dir.resolve("config.toml");
        Files.writeString(config, String.join("\n",
                "version = 2",
                "root = \"" + dir.resolve("root") + "\"",
                "state = \"" + dir.resolve("state") + "\"",
                "[grpc]",
                "  address = \"" + socket + "\"",
                "[ttrpc]",
                "  address = \"" + socket + ".ttrpc\"",
                // containerd's default would be /opt/containerd on the host
                "[plugins.\"io.containerd.internal.v1.opt\"]",
                "  path = \"" + dir.resolve("opt") + "\"",
                cri + "]",
                "  sandbox_image = \"" + sandboxImage + "\"",
                "  restrict_oom_score_adj = true",
                "  stream_server_address = \"127.0.0.1\"",
                cri + ".containerd]",
                "    default_runtime_name = \"runc\"",
                "    snapshotter = \"overlayfs\"",
                cri + ".containerd.runtimes.runc]",
                "      runtime_type = \"io.containerd.runc.v2\"",
                cri + ".containerd.runtimes.runc.options]",
                "        SystemdCgroup = false",
                cri + ".cni]",
                "    bin_dir = \"/usr/lib/cni\"",
                "    conf_dir = \"" + network.confDir + "\"",
                cri + ".registry]",
                "    config_path = \"" + dir.resolve("certs.d") + "\"", ""));
        Path log = dir.resolve("containerd.log");
        Process p = new ProcessBuilder(BINARY.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        PrivateContainerd c = new PrivateContainerd(dir, network, p, socket, log);
        try {
            c.awaitVersion();
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    String endpoint() {
        return "unix://" + socket;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Waits (bounded, not timed: a readiness poll) until the CRI plugin answers Version. */
    private void awaitVersion() throws InterruptedException {
        RuntimeException last = null;
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) {
                throw new AssertionError("containerd exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (Files.exists(socket)) {
                try (CriConnection c = CriConnection.open(Endpoint.parse(endpoint()))) {
                    c.runtime(Duration.ofSeconds(5)).version(VersionRequest.newBuilder().setVersion("v1").build());
                    return;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("containerd did not answer Version on " + socket + ": " + last + "\n" + logTail());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        List<Throwable> problems = new ArrayList<>();
        try {
            if (process.isAlive()) {
                removePods();
            }
        } catch (RuntimeException e) {
            problems.add(e);
        }
        if (process.isAlive()) {
            process.destroy(); // SIGTERM to our containerd's PID
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        killShims();
        unmountUnder(dir);
        network.close();
        if (!problems.isEmpty()) {
            AssertionError e = new AssertionError("cleaning up containerd");
            problems.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void removePods() {
        try (CriConnection c = CriConnection.open(Endpoint.parse(endpoint()))) {
            var rt = c.runtime(Duration.ofSeconds(60));
            for (PodSandbox p : rt.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
                rt.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
                rt.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
            }
        }
    }

    /** Shims started for this containerd carry "-address <our socket>" on their command line. */
    private void killShims() throws IOException, InterruptedException {
        String marker = "-address\0" + socket + "\0";
        List<ProcessHandle> shims = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.startsWith("/usr/bin/containerd-shim") || cmdline.startsWith("containerd-shim")) {
                        if (cmdline.contains(marker)) {
                            ProcessHandle.of(Long.parseLong(name)).ifPresent(shims::add);
                        }
                    }
                } catch (IOException gone) {
                    // the process exited while we looked
                }
            }
        }
        for (ProcessHandle h : shims) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : shims) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("shim " + h.pid() + " did not exit", e);
            }
        }
    }

    private static void unmountUnder(Path dir) throws IOException, InterruptedException {
        List<String> mounts = new ArrayList<>();
        String prefix = dir.toString() + "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4].replace("\\040", " ");
            if (mountPoint.startsWith(prefix)) {
                mounts.add(mountPoint);
            }
        }
        mounts.sort(Comparator.reverseOrder());
        for (String m : mounts) {
            Process p = new ProcessBuilder("umount", "-R", m).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
