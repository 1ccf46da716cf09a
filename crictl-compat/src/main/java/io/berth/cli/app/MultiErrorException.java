package io.berth.cli.app;

import java.util.List;

/**
 * Failures of commands that crictl runs through k8s' errors.AggregateGoroutines (rm, rmp, rmi): the
 * aggregate is a urfave/cli MultiError, which urfave prints as one plain line per error (no logrus
 * prefix) before exiting with status 1.
 */
public final class MultiErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> errors;

    public MultiErrorException(List<String> errors) {
        super(String.join("\n", errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
