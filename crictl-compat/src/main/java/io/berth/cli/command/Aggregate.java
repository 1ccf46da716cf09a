package io.berth.cli.command;

import io.berth.cli.app.CliException;
import java.util.ArrayList;
import java.util.List;

/**
 * k8s' errors.AggregateGoroutines as crictl uses it for rm, rmp and rmi: run every item, then report
 * one error as itself and several as "[e1, e2]". berthctl runs the items one after the other, so the
 * output order is the argument order rather than Go's scheduling order.
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
        if (errors.size() == 1) {
            throw new CliException(errors.get(0));
        }
        if (errors.size() > 1) {
            throw new CliException("[" + String.join(", ", errors) + "]");
        }
    }
}
