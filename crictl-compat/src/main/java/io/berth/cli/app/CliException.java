package io.berth.cli.app;

/** A command failure: printed as one fatal log line on stderr, exit status 1 (crictl's logrus.Fatal). */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message, null, false, false);
    }
}
