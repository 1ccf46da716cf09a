package io.berth.cli.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Diagnostics on stderr in logrus' text format, as crictl prints them, so that scripts which grep
 * crictl's "level=fatal" (or a terminal user who reads "FATA[0000]") see the same thing.
 */
public final class Log {
    public enum Level { DEBUG("DEBU", "debug"), INFO("INFO", "info"), WARN("WARN", "warning"),
        ERROR("ERRO", "error"), FATAL("FATA", "fatal");

        final String tty;
        final String text;

        Level(String tty, String text) {
            this.tty = tty;
            this.text = text;
        }
    }

    private final PrintWriter err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private volatile boolean debug;

    public Log(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Whether fd 2 of this process is a terminal (logrus switches format on that). */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    public boolean isDebug() {
        return debug;
    }

    public void debug(String msg) {
        if (debug) {
            log(Level.DEBUG, msg);
        }
    }

    /** Debug text that is costly to build (e.g. a proto's text form needs its descriptor). */
    public void debug(java.util.function.Supplier<String> msg) {
        if (debug) {
            log(Level.DEBUG, msg.get());
        }
    }

    public void info(String msg) {
        log(Level.INFO, msg);
    }

    public void warn(String msg) {
        log(Level.WARN, msg);
    }

    public void error(String msg) {
        log(Level.ERROR, msg);
    }

    public void fatal(String msg) {
        log(Level.FATAL, msg);
    }

    public synchronized void log(Level level, String msg) {
        if (terminal) {
            long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
            err.printf("%s[%04d] %s%n", level.tty, secs, msg);
        } else {
            String time = OffsetDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            err.printf("time=\"%s\" level=%s msg=%s%n", time, level.text, quoteIfNeeded(msg));
        }
        err.flush();
    }

    /** logrus quotes a value unless it only has [a-zA-Z0-9-._/@^+]; quoting is Go's %q. */
    static String quoteIfNeeded(String s) {
        boolean needs = s.isEmpty();
        for (int i = 0; i < s.length() && !needs; i++) {
            char c = s.charAt(i);
            needs = !(Character.isLetterOrDigit(c) && c < 128 || "-._/@^+".indexOf(c) >= 0);
        }
        return needs ? goQuote(s) : s;
    }

    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case 8 -> sb.append("\\b");
                case 12 -> sb.append("\\f");
                case 11 -> sb.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }
}
