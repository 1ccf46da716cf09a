package io.berth.sandbox;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per sandbox id: operations on one sandbox run in order, different sandboxes in
 * parallel. Entries are dropped when the sandbox is removed; ids are random and never reused.
 */
final class KeyedLocks {
  /** Held lock; close() releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  Held lock(String id) {
    ReentrantLock l = locks.computeIfAbsent(id, k -> new ReentrantLock());
    l.lock();
    return l::unlock;
  }

  void forget(String id) {
    locks.remove(id);
  }
}
