package io.berth.server.log;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Routes every java.util.logging record (berth's, grpc's) to stderr in logfmt. */
public final class LogSetup {
  // JUL keeps loggers weakly; hold the one whose level we set so the setting survives GC.
  private static final Logger BERTH = Logger.getLogger("io.berth");

  private LogSetup() {}

  public static void configure(String level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler handler = new StderrHandler();
    Level berth = toLevel(level);
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    // Library chatter stays at info or above unless berth itself is at debug.
    root.setLevel(berth.intValue() <= Level.FINE.intValue() ? Level.INFO : berth);
    BERTH.setLevel(berth);
  }

  /**
   * Writes each record to stderr at once. Not ConsoleHandler: replacing its stream closes the old
   * one, which is System.err itself.
   */
  private static final class StderrHandler extends Handler {
    private final LogfmtFormatter formatter = new LogfmtFormatter();

    @Override
    public void publish(LogRecord record) {
      if (isLoggable(record)) {
        System.err.print(formatter.format(record));
      }
    }

    @Override
    public void flush() {
      System.err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }

  public static Level toLevel(String level) {
    switch (level) {
      case "debug": return Level.FINE;
      case "warn": return Level.WARNING;
      case "error": return Level.SEVERE;
      default: return Level.INFO;
    }
  }
}
