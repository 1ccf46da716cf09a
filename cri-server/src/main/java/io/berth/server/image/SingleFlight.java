package io.berth.server.image;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Runs one piece of work per key at a time: callers that arrive while it runs wait for its
 * result instead of doing it again (two pulls sharing a layer download it once). If the running
 * work fails, waiters try it themselves (a few times), because the failure may belong to the
 * other caller (its pull was cancelled) rather than to the work.
 */
final class SingleFlight<K, V> {
  private static final int WAITER_ATTEMPTS = 3;

  private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

  V run(K key, Callable<V> work) throws Exception {
    for (int attempt = 1; ; attempt++) {
      CompletableFuture<V> mine = new CompletableFuture<>();
      CompletableFuture<V> theirs = running.putIfAbsent(key, mine);
      if (theirs == null) {
        // Leave the map before completing: a waiter that wakes up on a failure and tries again
        // must not find this finished flight still registered.
        try {
          V v = work.call();
          running.remove(key, mine);
          mine.complete(v);
          return v;
        } catch (Throwable t) {
          running.remove(key, mine);
          mine.completeExceptionally(t);
          throw t;
        }
      }
      try {
        return theirs.get();
      } catch (ExecutionException e) {
        if (attempt >= WAITER_ATTEMPTS) {
          Throwable cause = e.getCause();
          if (cause instanceof Exception ex) {
            throw ex;
          }
          throw e;
        }
      }
    }
  }

  /** Whether work for {@code key} is running now (for tests and logs). */
  boolean isRunning(K key) {
    return running.containsKey(key);
  }
}
