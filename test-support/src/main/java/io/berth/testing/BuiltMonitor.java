package io.berth.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The berth-monitor this build compiled (runtime-bridge/target/native/berth-monitor), which
 * failsafe names in the system property {@value #PROPERTY}: berthd under test runs it, never an
 * installed monitor.
 */
public final class BuiltMonitor {
  public static final String PROPERTY = "berth.monitor.binary";

  private BuiltMonitor() {}

  /** The binary, when the property names an executable file. */
  public static Optional<Path> path() {
    String p = System.getProperty(PROPERTY);
    if (p == null) {
      return Optional.empty();
    }
    Path path = Path.of(p).normalize();
    return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
  }
}
