package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.config.CriConfigFiles;
import io.berth.cri.v1.PodSandboxConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Run a new container inside a sandbox")
public final class RunCommand extends CriCommand {
    @Mixin
    PullOptions pull = new PullOptions();

    @Option(names = {"-r", "--runtime"}, defaultValue = "", description = "Runtime handler to use. Available options are defined by the container runtime.")
    String runtime;

    @Parameters(arity = "0..*", paramLabel = "container-config.[json|yaml] pod-config.[json|yaml]")
    List<String> args = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (args.size() != 2) {
            throw showHelp();
        }
        if (pull.noPull && pull.withPull) {
            throw fail("conflict: no-pull and with-pull are both set");
        }
        boolean withPull = (!s.settings().disablePullOnRun() && !pull.noPull) || pull.withPull;
        PodSandboxConfig podConfig;
        try {
            podConfig = CriConfigFiles.loadPodSandboxConfig(Path.of(args.get(1)));
        } catch (CriConfigFiles.ConfigFileException e) {
            throw fail("running container: load podSandboxConfig: " + e.getMessage());
        }
        // the pod gets the global timeout; --cancel-timeout is documented for container creation
        String podId = PodLifecycle.run(s, "running container: run pod sandbox", podConfig, runtime, null);
        String ctrId = ContainerLifecycle.create(s, "running container: creating container failed", podId,
                args.get(0), args.get(1), withPull, pull);
        ContainerLifecycle.start(s, "running container: starting the container " + q(ctrId), ctrId);
    }
}
