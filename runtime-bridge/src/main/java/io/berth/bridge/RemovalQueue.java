package io.berth.bridge;

import io.berth.os.Linux;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * cgroup, CreateContainer of the same id, and close(). A crash before the cleanup ran leaves a
 * container directory without a record, which the engine's start-up sweep removes.
 */
final class RemovalQueue implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RemovalQueue.class.getName());

  /**
   * Nice value of the cleanup thread and of the runtime processes it starts: kubelet's next
   * CreateContainer usually arrives while the previous container is being cleaned up, and should
   * get the CPU first.
   */
  static final int NICE = 10;

  private final ExecutorService worker;
  private final ConcurrentHashMap<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

  /** @param linux lowers the worker thread's priority ({@link #NICE}) */
  RemovalQueue(Linux linux) {
    // One thread: cleanups are short, and a node drain should not crowd out the RPCs on 2 cores.
    this.worker = Executors.newSingleThreadExecutor(r -> {
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
  }

  /** A cleanup step that may fail; the failure is logged and left to the start-up sweep. */
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
        cleanup.run();
      } catch (Exception | Error e) {
        warn("cleanup of a removed container failed; the start-up sweep retries it", new Object[] {"container", id}, e);
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

  private static void warn(String msg, Object[] kv, Throwable e) {
    LogRecord r = new LogRecord(Level.WARNING, msg);
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
