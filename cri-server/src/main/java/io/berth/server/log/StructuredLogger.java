package io.berth.server.log;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Key/value logging on top of java.util.logging (which grpc-java and Netty already use, so all
 * of berthd's output shares one format). Usage: {@code log.info("pod started", "pod", id, "ip", ip)}.
 */
public final class StructuredLogger {
  private final Logger logger;

  private StructuredLogger(Logger logger) {
    this.logger = logger;
  }

  public static StructuredLogger get(Class<?> owner) {
    return new StructuredLogger(Logger.getLogger(owner.getName()));
  }

  public void debug(String msg, Object... kv) {
    log(Level.FINE, msg, null, kv);
  }

  public void info(String msg, Object... kv) {
    log(Level.INFO, msg, null, kv);
  }

  public void warn(String msg, Object... kv) {
    log(Level.WARNING, msg, null, kv);
  }

  public void warn(String msg, Throwable t, Object... kv) {
    log(Level.WARNING, msg, t, kv);
  }

  public void error(String msg, Throwable t, Object... kv) {
    log(Level.SEVERE, msg, t, kv);
  }

  public boolean isDebug() {
    return logger.isLoggable(Level.FINE);
  }

  private void log(Level level, String msg, Throwable t, Object[] kv) {
    if (!logger.isLoggable(level)) {
      return;
    }
    if (kv.length % 2 != 0) {
      throw new IllegalArgumentException("key/value pairs expected: " + msg);
    }
    LogRecord r = new LogRecord(level, msg);
    r.setLoggerName(logger.getName());
    r.setParameters(kv);
    r.setThrown(t);
    logger.log(r);
  }
}
