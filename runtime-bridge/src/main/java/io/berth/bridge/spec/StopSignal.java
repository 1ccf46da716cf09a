package io.berth.bridge.spec;

import io.berth.bridge.Errors;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.Signal;
import java.util.Locale;
import java.util.Map;

/**
 * The signal StopContainer sends first: the CRI {@code stop_signal} if set, else the image's
 * {@code StopSignal}, else SIGTERM. Numbers are Linux's (x86_64 and arm64 agree).
 */
public final class StopSignal {
  public static final int SIGKILL = 9;
  public static final int SIGTERM = 15;
  private static final int SIGRTMIN = 34;
  private static final int SIGRTMAX = 64;

  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
      Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
      Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
      Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
      Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CLD", 17), Map.entry("CONT", 18),
      Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22),
      Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26),
      Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29),
      Map.entry("PWR", 30), Map.entry("SYS", 31), Map.entry("RTMIN", SIGRTMIN), Map.entry("RTMAX", SIGRTMAX));

  private StopSignal() {}

  public static int resolve(ContainerConfig config, ImageConfig image) {
    if (config.getStopSignal() != Signal.RUNTIME_DEFAULT && config.getStopSignal() != Signal.UNRECOGNIZED) {
      return fromCri(config.getStopSignal());
    }
    if (!image.stopSignal().isEmpty()) {
      return parse(image.stopSignal(), "image config StopSignal");
    }
    return SIGTERM;
  }

  /** The CRI enum: {@code SIGRTMINPLUS3} is SIGRTMIN+3, {@code SIGRTMAXMINUS2} is SIGRTMAX-2. */
  static int fromCri(Signal signal) {
    String name = signal.name();
    if (name.startsWith("SIGRTMINPLUS")) {
      return SIGRTMIN + Integer.parseInt(name.substring("SIGRTMINPLUS".length()));
    }
    if (name.startsWith("SIGRTMAXMINUS")) {
      return SIGRTMAX - Integer.parseInt(name.substring("SIGRTMAXMINUS".length()));
    }
    return parse(name, "stop_signal");
  }

  /** Parses {@code SIGTERM}, {@code TERM}, {@code 15}, {@code SIGRTMIN+3}. */
  public static int parse(String text, String field) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= SIGRTMAX) {
        return n;
      }
    }
    if (s.startsWith("SIG")) {
      s = s.substring(3);
    }
    int plus = s.indexOf('+');
    int minus = s.indexOf('-');
    Integer n;
    if (plus > 0) {
      n = offset(NUMBERS.get(s.substring(0, plus)), s.substring(plus + 1), 1);
    } else if (minus > 0) {
      n = offset(NUMBERS.get(s.substring(0, minus)), s.substring(minus + 1), -1);
    } else {
      n = NUMBERS.get(s);
    }
    if (n == null || n < 1 || n > SIGRTMAX) {
      throw Errors.invalidArgument(field + ": unknown signal \"" + text + "\"");
    }
    return n;
  }

  private static Integer offset(Integer base, String delta, int sign) {
    if (base == null || delta.isEmpty() || !delta.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return base + sign * Integer.parseInt(delta);
  }
}
