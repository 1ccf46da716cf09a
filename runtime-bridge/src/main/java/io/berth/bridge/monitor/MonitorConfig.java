package io.berth.bridge.monitor;

import io.berth.os.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the per-container monitor is run: berth-monitor (the default, built from
 * {@code runtime-bridge/src/main/c/berth-monitor}) or Debian's conmon, which take the same command
 * line.
 *
 * @param binary the monitor program
 * @param exitDir where the monitor writes {@code <id>} with the exit code when a container exits
 * @param socketDir passed as {@code --socket-dir-path}: conmon puts attach socket links there
 *     ({@code <id>/attach}); berth-monitor makes none
 * @param logLevel conmon's own log level (to syslog when {@code syslog}); berth-monitor ignores it
 * @param createTimeout how long container creation may take before the monitor is killed
 */
public record MonitorConfig(Path binary, Path exitDir, Path socketDir, String logLevel, boolean syslog,
    Duration createTimeout) {
  /** The monitor's name in {@code runtime.monitor_path} and on PATH. */
  public static final String BERTH_MONITOR = "berth-monitor";
  /** Where deploy/install.sh puts berth-monitor; searched after PATH. */
  public static final Path LIBEXEC = Path.of("/usr/local/libexec/berth");

  /** Which program it is, for what differs between them. */
  public enum Kind {
    /** berth-monitor: long lines split into P entries of 16 KiB, like containerd. */
    BERTH_MONITOR(16 * 1024),
    /** conmon: P entries of at most 8 KiB, its read buffer. */
    CONMON(8 * 1024);

    private final int logChunkBytes;

    Kind(int logChunkBytes) {
      this.logChunkBytes = logChunkBytes;
    }

    /** The longest text of one CRI log entry; a longer line is split into P entries. */
    public int logChunkBytes() {
      return logChunkBytes;
    }
  }

  public MonitorConfig {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(exitDir, "exitDir");
    Objects.requireNonNull(socketDir, "socketDir");
    logLevel = logLevel == null ? "info" : logLevel;
    createTimeout = createTimeout == null ? Duration.ofMinutes(4) : createTimeout;
  }

  /** conmon when the program is named so, else berth-monitor. */
  public Kind kind() {
    return binary.getFileName().toString().contains("conmon") ? Kind.CONMON : Kind.BERTH_MONITOR;
  }

  public MonitorConfig withBinary(Path other) {
    return new MonitorConfig(other, exitDir, socketDir, logLevel, syslog, createTimeout);
  }

  /** berth-monitor (as {@link #locate} finds it) with exit files and sockets under {@code stateRoot}. */
  public static MonitorConfig under(Path stateRoot) {
    return new MonitorConfig(locate(BERTH_MONITOR).orElse(LIBEXEC.resolve(BERTH_MONITOR)), stateRoot.resolve("exits"),
        stateRoot.resolve("attach"), "info", false, Duration.ofMinutes(4));
  }

  /**
   * A monitor program: a path as is, a bare name on PATH, then in {@link #LIBEXEC} (berth-monitor
   * is a helper, not a command, so it is not on PATH when installed).
   */
  public static Optional<Path> locate(String nameOrPath) {
    Optional<Path> found = Executables.find(nameOrPath);
    if (found.isPresent() || nameOrPath.contains("/")) {
      return found;
    }
    Path inLibexec = LIBEXEC.resolve(nameOrPath);
    return Files.isRegularFile(inLibexec) && Files.isExecutable(inLibexec) ? Optional.of(inLibexec) : Optional.empty();
  }
}
