package io.berth.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
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
 * <p>A cleanup stays pending until it succeeds: a failed one is tried again after {@link
 * #RETRY_DELAYS} (the last delay repeating), and at once whenever someone waits for it.
 * RemovePodSandbox waits for its pod's cleanups before it removes the pod's cgroup, and fails
 * (kubelet retries it, which retries them) while one of them has failed; CreateContainer of the
 * same id and close() wait too. A crash before the cleanup succeeded leaves a container directory
 * without a record, which the engine's start-up sweep removes.
 */
final class RemovalQueue implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RemovalQueue.class.getName());

  /** When a failed cleanup is tried again (every step is idempotent); the last one repeats. */
  static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1),
      Duration.ofMinutes(5));

  /** A cleanup step that may fail. */
  @FunctionalInterface
  interface Cleanup {
    void run() throws Exception;
  }

  /** One removed container whose host cleanup has not succeeded yet. */
  private static final class Removal {
    final String id;
    final String sandboxId;
    final Cleanup cleanup;
    final Runnable onClean;
    /** The attempt queued or running, or the last one (then failed). */
    volatile CompletableFuture<Void> attempt;
    volatile Throwable lastFailure;
    int failures; // only the worker thread touches it
    /** The scheduled retry, if any: at most one, however often waiters ask for an attempt. */
    ScheduledFuture<?> retry; // only the worker thread touches it

    Removal(String id, String sandboxId, Cleanup cleanup, Runnable onClean) {
      this.id = id;
      this.sandboxId = sandboxId;
      this.cleanup = cleanup;
      this.onClean = onClean;
    }
  }

  private final ScheduledThreadPoolExecutor worker;
  private final List<Duration> retryDelays;
  private final ConcurrentHashMap<String, Removal> pending = new ConcurrentHashMap<>();

  RemovalQueue() {
    this(RETRY_DELAYS);
  }

  RemovalQueue(List<Duration> retryDelays) {
    this.retryDelays = List.copyOf(retryDelays);
    // One thread: cleanups are short, and a node drain should not crowd out the RPCs on 2 cores.
    // The programs it runs are niced by the engine's background CommandRunner, not this thread:
    // threads it creates (the JDK's process reaper among them) would inherit a nice value.
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "container-cleanup");
      t.setDaemon(true);
      return t;
    });
    // close() finishes queued attempts but drops waiting retries: the start-up sweep does those.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.worker = executor;
  }

  /**
   * Cleans up after container {@code id} of pod {@code sandboxId} in the background (inline once
   * the queue is closed); {@code onClean} runs once the cleanup has succeeded.
   */
  void submit(String id, String sandboxId, Cleanup cleanup, Runnable onClean) {
    Removal r = new Removal(id, sandboxId, cleanup, onClean);
    pending.put(id, r);
    enqueue(r, Duration.ZERO);
  }

  private void enqueue(Removal r, Duration delay) {
    CompletableFuture<Void> next = new CompletableFuture<>();
    Runnable task = () -> attempt(r, next);
    try {
      if (delay.isZero()) {
        r.attempt = next;
        worker.execute(task);
      } else {
        // A retry: waiters keep seeing the failed attempt until this one starts.
        r.retry = worker.schedule(() -> {
          r.retry = null; // running now: a failure of this attempt schedules the next one
          r.attempt = next;
          task.run();
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException closed) {
      if (delay.isZero()) {
        task.run();
      } // else: shutting down; the start-up sweep finishes it
    }
  }

  private void attempt(Removal r, CompletableFuture<Void> done) {
    try {
      if (pending.get(r.id) != r) {
        return; // done by an earlier attempt, or replaced
      }
      try {
        r.cleanup.run();
      } catch (Exception | Error e) {
        r.lastFailure = e;
        Duration delay = retryDelays.get(Math.min(r.failures, retryDelays.size() - 1));
        r.failures++;
        log(Level.WARNING, "cleanup of a removed container failed; retrying in " + delay.toSeconds() + " s",
            new Object[] {"container", r.id, "pod", r.sandboxId, "attempt", r.failures}, e);
        if (r.retry == null) {
          enqueue(r, delay);
        }
        return;
      }
      pending.remove(r.id, r);
      if (r.failures > 0) {
        log(Level.INFO, "cleanup of a removed container succeeded on retry",
            new Object[] {"container", r.id, "attempt", r.failures + 1}, null);
      }
      r.onClean.run();
    } finally {
      done.complete(null);
    }
  }

  /**
   * Waits until the cleanups of {@code sandboxId}'s removed containers (every pod's when null)
   * have succeeded, trying failed ones again at once. Returns what is still not clean, one line
   * per container with its last error; empty when all are.
   */
  List<String> awaitClean(String sandboxId, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    List<Removal> mine = new ArrayList<>();
    for (Removal r : pending.values()) {
      if (sandboxId == null || sandboxId.equals(r.sandboxId)) {
        mine.add(r);
      }
    }
    for (Removal r : mine) {
      CompletableFuture<Void> a = r.attempt;
      if (a.isDone() && r.lastFailure != null && pending.get(r.id) == r) {
        enqueue(r, Duration.ZERO); // the caller (kubelet retrying RemovePodSandbox) drives a retry
      }
    }
    List<String> unclean = new ArrayList<>();
    for (Removal r : mine) {
      awaitFuture(r.attempt, Math.max(0, deadline - System.nanoTime()));
      if (pending.get(r.id) == r) {
        Throwable f = r.lastFailure;
        unclean.add("container " + r.id + ": " + (f == null ? "cleanup still running" : f.getMessage()));
      }
    }
    return unclean;
  }

  /** Waits for the cleanup of {@code id}; false if it has not succeeded within {@code wait}. */
  boolean await(String id, Duration wait) {
    Removal r = pending.get(id);
    if (r == null) {
      return true;
    }
    awaitFuture(r.attempt, wait.toNanos());
    return pending.get(id) != r;
  }

  private static void awaitFuture(CompletableFuture<Void> f, long nanos) {
    try {
      f.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // the caller looks at what is still pending
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void log(Level level, String msg, Object[] kv, Throwable e) {
    LogRecord r = new LogRecord(level, msg);
    r.setLoggerName(LOG.getName());
    r.setParameters(kv);
    r.setThrown(e);
    LOG.log(r);
  }

  /** Finishes the queued attempts (up to {@code wait}) and stops the worker. */
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
