package io.berth.cli.command;

import io.berth.cli.app.Session;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Start one or more created containers")
public final class StartCommand extends CriCommand {
    @Parameters(arity = "0..*", paramLabel = "CONTAINER-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (ids.isEmpty()) {
            throw fail("ID cannot be empty");
        }
        for (String id : ids) {
            ContainerLifecycle.start(s, "starting the container " + q(id), id);
        }
    }
}
