package io.berth.bridge.oci;

import io.berth.os.CommandRunner;

/** Creates the {@link OciRuntime} for a configured handler. */
public final class OciRuntimes {
  private OciRuntimes() {}

  /** @param runner runs the runtime's CLI; its owner closes it */
  public static OciRuntime of(RuntimeHandler handler, CommandRunner runner) {
    return CliOciRuntime.of(handler, runner);
  }
}
