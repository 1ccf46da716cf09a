package io.berth.cli.command;

import io.berth.cli.app.Session;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", description = "Stop one or more running containers")
public final class StopCommand extends CriCommand {
    @Option(names = {"-t", "--timeout"}, defaultValue = "0", description = "Seconds to wait to kill the container after a graceful stop is requested")
    long timeout;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (ids.isEmpty()) {
            throw fail("ID cannot be empty");
        }
        for (String id : ids) {
            ContainerLifecycle.stop(s, "stopping the container " + q(id), id, timeout);
        }
    }
}
