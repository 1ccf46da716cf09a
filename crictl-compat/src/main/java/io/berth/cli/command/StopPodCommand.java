package io.berth.cli.command;

import io.berth.cli.app.Session;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stopp", description = "Stop one or more running pods")
public final class StopPodCommand extends CriCommand {
    @Parameters(arity = "0..*", paramLabel = "POD-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (ids.isEmpty()) {
            throw showHelp();
        }
        for (String id : ids) {
            PodLifecycle.stop(s, "stopping the pod sandbox " + q(id), id);
        }
    }
}
