package io.berth.cli.command;

import io.berth.cli.app.Session;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a new container")
public final class CreateCommand extends CriCommand {
    @Mixin
    PullOptions pull = new PullOptions();

    @Parameters(arity = "0..*", paramLabel = "POD container-config.[json|yaml] pod-config.[json|yaml]")
    List<String> args = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (args.size() != 3) {
            throw showHelp();
        }
        if (pull.noPull && pull.withPull) {
            throw fail("conflict: no-pull and with-pull are both set");
        }
        boolean withPull = (!pull.noPull && s.settings().pullImageOnCreate()) || pull.withPull;
        String id = ContainerLifecycle.create(s, "creating container", args.get(0), args.get(1), args.get(2),
                withPull, pull);
        s.out().print(id + "\n");
    }

}
