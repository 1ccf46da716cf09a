package io.berth.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ending a fixture's own child process: SIGTERM, a grace period, then SIGKILL; by its handle only. */
final class ChildProcesses {
  private ChildProcesses() {}

  /** Returns the exit code (128+signal when killed). */
  static int terminate(Process p, Duration grace) {
    if (p.isAlive()) {
      p.destroy(); // SIGTERM on Linux
    }
    try {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor();
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A JVM shutdown hook that kills {@code p} if the test JVM exits while it still runs (e.g. on SIGTERM). */
  static Thread killOnJvmExit(Process p, String name) {
    Thread hook = new Thread(() -> {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }, "kill " + name + " on exit");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  static void forgetHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway; nothing to undo
    }
  }
}
