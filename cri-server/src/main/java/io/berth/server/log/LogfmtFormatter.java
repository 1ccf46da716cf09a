package io.berth.server.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per event in logfmt ({@code ts=… level=info msg="…" rpc=RunPodSandbox pod=… dur_ms=…}),
 * easy for people to read and for log pipelines to parse. Structured fields come from
 * {@link StructuredLogger}, which passes them as alternating key/value record parameters.
 */
public final class LogfmtFormatter extends Formatter {
  private static final DateTimeFormatter TS = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

  @Override
  public String format(LogRecord r) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("ts=").append(TS.format(Instant.ofEpochMilli(r.getMillis())));
    sb.append(" level=").append(levelName(r.getLevel()));
    String logger = r.getLoggerName();
    if (logger != null) {
      sb.append(" logger=").append(logger.substring(logger.lastIndexOf('.') + 1));
    }
    Object[] params = r.getParameters();
    boolean structured = r.getMessage() != null && params != null && params.length % 2 == 0
        && r.getMessage().indexOf('{') < 0;
    sb.append(" msg=");
    quote(sb, structured || params == null ? r.getMessage() : formatMessage(r));
    if (structured) {
      for (int i = 0; i < params.length; i += 2) {
        if (params[i + 1] == null) {
          continue;
        }
        sb.append(' ').append(params[i]).append('=');
        quote(sb, String.valueOf(params[i + 1]));
      }
    }
    if (r.getThrown() != null) {
      sb.append(" error=");
      quote(sb, String.valueOf(r.getThrown()));
      if (r.getLevel().intValue() >= Level.SEVERE.intValue() || r.getLevel().intValue() <= Level.FINE.intValue()) {
        StringWriter sw = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(sw));
        sb.append(" stack=");
        quote(sb, sw.toString());
      }
    }
    return sb.append('\n').toString();
  }

  static String levelName(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "error";
    }
    if (v >= Level.WARNING.intValue()) {
      return "warn";
    }
    if (v >= Level.INFO.intValue()) {
      return "info";
    }
    return "debug";
  }

  private static void quote(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("\"\"");
      return;
    }
    boolean plain = !s.isEmpty();
    for (int i = 0; i < s.length() && plain; i++) {
      char c = s.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c < 127;
    }
    if (plain) {
      sb.append(s);
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\t': sb.append("\\t"); break;
        default: sb.append(c);
      }
    }
    sb.append('"');
  }
}
