package io.berth.sandbox;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per sandbox id: operations on one sandbox run in order, different sandboxes in
 * parallel. Entries are dropped when the sandbox is removed; ids are random and never reused.
 */
final class KeyedLocks {
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** Locks the sandbox's lock and returns it; the caller unlocks it in a finally block. */
  ReentrantLock lock(String id) {
    ReentrantLock l = locks.computeIfAbsent(id, k -> new ReentrantLock());
    l.lock();
    return l;
  }

  void forget(String id) {
    locks.remove(id);
  }
}
