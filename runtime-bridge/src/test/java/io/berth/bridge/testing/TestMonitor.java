package io.berth.bridge.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The berth-monitor the integration tests drive: the one this build compiled (failsafe passes its
 * path as {@value #PROPERTY}), never one installed on the host.
 */
public final class TestMonitor {
  public static final String PROPERTY = "berth.monitor.binary";

  private TestMonitor() {}

  public static Path berthMonitor() {
    String path = System.getProperty(PROPERTY);
    if (path == null) {
      return fail("system property " + PROPERTY + " is not set; run the tests through Maven (failsafe sets it)");
    }
    Path p = Path.of(path);
    if (!Files.isExecutable(p)) {
      return fail(p + " is missing: build it with mvn -pl runtime-bridge compile (needs apt-get install gcc libc6-dev)");
    }
    return p;
  }
}
