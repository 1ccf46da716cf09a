package io.berth.bridge.oci;

import java.io.IOException;

/** A runtime verb exited non-zero; {@link #isNotFound()} when the container or its process is gone. */
public final class RuntimeCommandException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final String stderr;
  private final boolean notFound;

  public RuntimeCommandException(String command, int exitCode, String stderr, boolean notFound) {
    super(command + " failed (exit " + exitCode + "): " + stderr);
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.notFound = notFound;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }

  public boolean isNotFound() {
    return notFound;
  }
}
