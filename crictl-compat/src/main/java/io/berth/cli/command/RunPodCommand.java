package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.config.CriConfigFiles;
import io.berth.cri.v1.PodSandboxConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runp", description = "Run a new pod")
public final class RunPodCommand extends CriCommand {
    @Option(names = {"-r", "--runtime"}, defaultValue = "", description = "Runtime handler to use. Available options are defined by the container runtime.")
    String runtime;

    @Option(names = {"-T", "--cancel-timeout"}, paramLabel = "DURATION", description = "Seconds to wait for a run pod sandbox request to complete before cancelling the request")
    String cancelTimeout;

    @Parameters(arity = "0..*", paramLabel = "pod-config.[json|yaml]")
    List<String> args = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (args.size() != 1 || args.get(0).isEmpty()) {
            throw showHelp();
        }
        PodSandboxConfig config;
        try {
            config = CriConfigFiles.loadPodSandboxConfig(Path.of(args.get(0)));
        } catch (CriConfigFiles.ConfigFileException e) {
            throw fail("load podSandboxConfig: " + e.getMessage());
        }
        String id = PodLifecycle.run(s, "run pod sandbox", config, runtime,
                PullCommand.parseDuration(cancelTimeout, "cancel-timeout"));
        s.out().print(id + "\n");
    }
}
