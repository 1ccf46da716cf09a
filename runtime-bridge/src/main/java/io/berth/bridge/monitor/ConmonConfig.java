package io.berth.bridge.monitor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How conmon is run.
 *
 * @param binary conmon (Debian: /usr/bin/conmon, 2.1.6)
 * @param exitDir where conmon writes {@code <id>} with the exit code when a container exits
 * @param socketDir where conmon puts the attach socket links ({@code <id>/attach})
 * @param logLevel conmon's own log level (to syslog when {@code syslog})
 * @param createTimeout how long container creation may take before the monitor is killed
 */
public record ConmonConfig(Path binary, Path exitDir, Path socketDir, String logLevel, boolean syslog,
    Duration createTimeout) {

  public ConmonConfig {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(exitDir, "exitDir");
    Objects.requireNonNull(socketDir, "socketDir");
    logLevel = logLevel == null ? "info" : logLevel;
    createTimeout = createTimeout == null ? Duration.ofMinutes(4) : createTimeout;
  }

  /** Debian's conmon with exit files and attach sockets under {@code stateRoot}. */
  public static ConmonConfig under(Path stateRoot) {
    return new ConmonConfig(Path.of("/usr/bin/conmon"), stateRoot.resolve("exits"), stateRoot.resolve("attach"),
        "info", false, Duration.ofMinutes(4));
  }
}
