package io.berth.bridge.oci;

import java.nio.charset.StandardCharsets;

/** What a finished command printed and returned. */
public record CommandResult(int exitCode, byte[] stdout, byte[] stderr) {
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8).trim();
  }
}
