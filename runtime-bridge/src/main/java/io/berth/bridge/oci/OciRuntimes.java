package io.berth.bridge.oci;

/** Creates the {@link OciRuntime} for a configured handler. */
public final class OciRuntimes {
  private OciRuntimes() {}

  public static OciRuntime of(RuntimeHandler handler) {
    return CliOciRuntime.of(handler);
  }
}
