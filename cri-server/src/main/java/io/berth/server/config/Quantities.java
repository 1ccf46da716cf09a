package io.berth.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human units the config uses: durations ("90s", "1m", "500ms") and sizes ("64Mi", "1G"). */
public final class Quantities {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)(|k|Ki|M|Mi|G|Gi)");

  private Quantities() {}

  public static Duration duration(String key, String text) throws ConfigException {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new ConfigException("config: " + key + " = \"" + text + "\" is not a duration (e.g. \"90s\", \"1m\", \"500ms\")");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      default: return Duration.ofHours(n);
    }
  }

  public static long bytes(String key, String text) throws ConfigException {
    Matcher m = SIZE.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new ConfigException("config: " + key + " = \"" + text + "\" is not a size (e.g. \"64Mi\", \"1G\")");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "k": return n * 1000;
      case "Ki": return n * 1024;
      case "M": return n * 1000_000;
      case "Mi": return n * 1024 * 1024;
      case "G": return n * 1000_000_000;
      case "Gi": return n * 1024 * 1024 * 1024;
      default: return n;
    }
  }
}
