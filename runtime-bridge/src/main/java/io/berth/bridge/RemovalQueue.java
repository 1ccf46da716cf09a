package io.berth.bridge;

import io.berth.os.Linux;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Host cleanup of removed containers, run after RemoveContainer has replied: the runtime's delete
 * (crun tears down the cgroup), the monitor's end, the overlay unmount and the directory removal
 * take 20 ms or more, and kubelet only needs the container gone from the state. containerd defers
 * the same way (its snapshots are removed by the garbage collector, not by RemoveContainer).
 *
 * <p>Whoever needs the host clean waits for it: RemovePodSandbox before it removes the pod's
 * cgroup, CreateContainer of the same id, and close(). They wait for the first attempt only: a
 * cleanup that fails (a mount still busy, say) is logged and tried again after {@link
 * #RETRY_DELAYS}, then left to the start-up sweep. A crash before the cleanup ran leaves a
 * container directory without a record, which that sweep removes.
 */
final class RemovalQueue implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RemovalQueue.class.getName());

  /**
   * Nice value of the cleanup thread and of the runtime processes it starts: kubelet's next
   * CreateContainer usually arrives while the previous container is being cleaned up, and should
   * get the CPU first.
   */
  static final int NICE = 10;
  /** When a failed cleanup is tried again (every step is idempotent). */
  static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1));

  private final ScheduledExecutorService worker;
  private final List<Duration> retryDelays;
  private final ConcurrentHashMap<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

  /** @param linux lowers the worker thread's priority ({@link #NICE}) */
  RemovalQueue(Linux linux) {
    this(linux, RETRY_DELAYS);
  }

  RemovalQueue(Linux linux, List<Duration> retryDelays) {
    this.retryDelays = List.copyOf(retryDelays);
    // One thread: cleanups are short, and a node drain should not crowd out the RPCs on 2 cores.
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(() -> {
        try {
          linux.niceCurrentThread(NICE);
        } catch (IOException e) {
          // Runs at normal priority: RPCs are slower during cleanups, nothing worse.
          warn("cannot lower the priority of the container cleanup thread", new Object[0], e);
        }
        r.run();
      }, "container-cleanup");
      t.setDaemon(true);
      return t;
    });
    // close() finishes queued cleanups but drops waiting retries: the start-up sweep does those.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.worker = executor;
  }

  /** A cleanup step that may fail; the failure is logged and retried. */
  @FunctionalInterface
  interface Cleanup {
    void run() throws Exception;
  }

  /** Runs {@code cleanup} for {@code id} in the background (inline once the queue is closed). */
  void submit(String id, Cleanup cleanup) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    // A later submission for the same id replaces the entry; the single worker runs them in order.
    pending.put(id, done);
    Runnable task = () -> {
      try {
        attempt(id, cleanup, 0);
      } finally {
        pending.remove(id, done);
        done.complete(null);
      }
    };
    try {
      worker.execute(task);
    } catch (RejectedExecutionException closed) {
      task.run();
    }
  }

  private void attempt(String id, Cleanup cleanup, int failures) {
    try {
      cleanup.run();
      if (failures > 0) {
        info("cleanup of a removed container succeeded on retry", new Object[] {"container", id, "attempt", failures + 1});
      }
    } catch (Exception | Error e) {
      boolean retry = failures < retryDelays.size();
      warn(retry ? "cleanup of a removed container failed; retrying in " + retryDelays.get(failures).toSeconds() + " s"
          : "cleanup of a removed container failed again; the start-up sweep removes what is left",
          new Object[] {"container", id, "attempt", failures + 1}, e);
      if (retry) {
        try {
          worker.schedule(() -> attempt(id, cleanup, failures + 1), retryDelays.get(failures).toMillis(),
              TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
          // Shutting down: the start-up sweep finishes it.
        }
      }
    }
  }

  /** Waits for the pending cleanup of {@code id}, if any; false if it is still running after {@code wait}. */
  boolean await(String id, Duration wait) {
    CompletableFuture<Void> f = pending.get(id);
    return f == null || awaitFuture(f, wait);
  }

  /** Waits for every cleanup submitted so far; false if some still run after {@code wait}. */
  boolean awaitAll(Duration wait) {
    List<CompletableFuture<Void>> all = List.copyOf(pending.values());
    return awaitFuture(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), wait);
  }

  private static boolean awaitFuture(CompletableFuture<Void> f, Duration wait) {
    try {
      f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true; // failures were logged by the task
    }
  }

  private static void info(String msg, Object[] kv) {
    log(Level.INFO, msg, kv, null);
  }

  private static void warn(String msg, Object[] kv, Throwable e) {
    log(Level.WARNING, msg, kv, e);
  }

  private static void log(Level level, String msg, Object[] kv, Throwable e) {
    LogRecord r = new LogRecord(level, msg);
    r.setLoggerName(LOG.getName());
    r.setParameters(kv);
    r.setThrown(e);
    LOG.log(r);
  }

  /** Finishes the queued cleanups (up to {@code wait}) and stops the worker. */
  void close(Duration wait) {
    worker.shutdown();
    try {
      worker.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
