package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cli.app.MultiErrorException;
import java.util.ArrayList;
import java.util.List;

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
