package io.berth.bridge.oci;

import io.berth.os.CommandRunner;

/** crun. Its "not found" errors come from opening the container's status file or signalling a dead pid. */
public final class CrunRuntime extends CliOciRuntime {
  public CrunRuntime(RuntimeHandler handler, CommandRunner runner) {
    super(handler, runner);
  }

  @Override
  boolean isNotFound(String stderr) {
    return stderr.contains("no such file or directory") || stderr.contains("no such process")
        || stderr.contains("does not exist") || stderr.contains("container not running");
  }
}
