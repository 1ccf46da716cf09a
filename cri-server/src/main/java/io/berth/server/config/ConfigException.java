package io.berth.server.config;

/** A configuration problem, reported as one line that names the key. berthd exits non-zero on it. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
