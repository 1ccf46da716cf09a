package io.berth.cli.app;

/** crictl answers some argument mistakes by printing the command's help and exiting 0; so do we. */
public final class ShowHelpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ShowHelpException() {
        super(null, null, false, false);
    }
}
