package io.berth.bridge.oci;

import io.berth.os.CommandRunner;

/** runc. Its "not found" errors are "container does not exist" and "container not running". */
public final class RuncRuntime extends CliOciRuntime {
  public RuncRuntime(RuntimeHandler handler, CommandRunner runner) {
    super(handler, runner);
  }

  @Override
  boolean isNotFound(String stderr) {
    return stderr.contains("does not exist") || stderr.contains("container not running")
        || stderr.contains("no such process") || stderr.contains("invalid process");
  }
}
