package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cli.app.MultiErrorException;
import io.berth.cli.app.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * k8s' errors.AggregateGoroutines as crictl uses it for rm, rmp and rmi: run every item, then report
 * every error on its own plain stderr line (urfave/cli prints the aggregate as a MultiError, not through
 * logrus). berthctl runs the items one after the other, so the output order is the argument order rather
 * than Go's scheduling order.
 */
final class Aggregate {
    interface Step {
        void run();
    }

    private Aggregate() {
    }

    /**
     * rm and rmp: act on the given ids, or on every one with --all. With nothing to act on, --all
     * logs {@code noneMessage} (as crictl does) and a bare command shows its help.
     */
    static void forEachTarget(Session s, List<String> ids, boolean all, Supplier<List<String>> everyId,
            String noneMessage, Consumer<String> action) {
        List<String> targets = all ? everyId.get() : ids;
        if (targets.isEmpty()) {
            if (all) {
                s.log().info(noneMessage);
                return;
            }
            throw CriCommand.showHelp();
        }
        List<Step> steps = new ArrayList<>();
        for (String id : targets) {
            steps.add(() -> action.accept(id));
        }
        runAll(steps);
    }

    static void runAll(List<Step> steps) {
        List<String> errors = new ArrayList<>();
        for (Step step : steps) {
            try {
                step.run();
            } catch (CliException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new MultiErrorException(errors);
        }
    }
}
