package io.berth.bridge.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named by pid AND start time (field 22 of /proc/PID/stat, clock ticks since boot), so a
 * pid reused after the process died (and after a daemon restart) is never mistaken for it.
 */
public record ProcessIdentity(int pid, long startTime) {

  /** The identity of the live process {@code pid}, or empty if there is none (zombies count as gone). */
  public static Optional<ProcessIdentity> of(int pid) {
    return stat(pid).filter(s -> !s.isDead()).map(s -> new ProcessIdentity(pid, s.startTime()));
  }

  /** Whether this very process is still running (not exited, not a zombie, pid not reused). */
  public boolean isAlive() {
    return stat(pid).map(s -> !s.isDead() && s.startTime() == startTime).orElse(false);
  }

  record Stat(char state, long startTime) {
    boolean isDead() {
      return state == 'Z' || state == 'X' || state == 'x';
    }
  }

  static Optional<Stat> stat(int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    String text;
    try {
      text = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // Racing with the process' exit (ESRCH while reading) means it is gone.
      return Optional.empty();
    }
    return parse(text);
  }

  /** Parses /proc/PID/stat; the command name may contain spaces and parentheses, so split after the last ')'. */
  static Optional<Stat> parse(String text) {
    int close = text.lastIndexOf(')');
    if (close < 0 || close + 2 >= text.length()) {
      return Optional.empty();
    }
    String[] fields = text.substring(close + 2).trim().split(" ");
    // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
    if (fields.length < 20 || fields[0].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[19])));
  }
}
