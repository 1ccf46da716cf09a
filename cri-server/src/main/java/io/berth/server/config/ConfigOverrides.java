package io.berth.server.config;

/** Command-line flags that win over the file: each null when not given. */
public record ConfigOverrides(String socket, String rootDir, String stateDir, String logLevel) {
  public static ConfigOverrides none() {
    return new ConfigOverrides(null, null, null, null);
  }
}
