package io.berth.server.image.store;

import io.berth.server.image.reference.Digest;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Protects what running pulls are fetching from garbage collection. A pull takes a lease first and
 * adds each digest and chain id to it before it checks whether that content already exists; the
 * collector decides and deletes while holding the same lock, so it never deletes content a pull
 * has just found present, and never sees content a pull is writing as garbage.
 */
public final class Leases {
  private final Object lock = new Object();
  private final Set<Lease> active = new HashSet<>();

  public Lease acquire() {
    synchronized (lock) {
      Lease l = new Lease();
      active.add(l);
      return l;
    }
  }

  /** Runs the collector's decide-and-delete step exclusively with lease changes. */
  <T> T exclusively(Supplier<T> work) {
    synchronized (lock) {
      return work.get();
    }
  }

  Set<Digest> leasedBlobs() {
    synchronized (lock) {
      Set<Digest> out = new HashSet<>();
      active.forEach(l -> out.addAll(l.blobs));
      return out;
    }
  }

  Set<Digest> leasedSnapshots() {
    synchronized (lock) {
      Set<Digest> out = new HashSet<>();
      active.forEach(l -> out.addAll(l.snapshots));
      return out;
    }
  }

  /** One pull's claim on content; close it after the image record is saved (or the pull failed). */
  public final class Lease implements AutoCloseable {
    private final Set<Digest> blobs = new HashSet<>();
    private final Set<Digest> snapshots = new HashSet<>();

    private Lease() {}

    public void addBlobs(Collection<Digest> digests) {
      synchronized (lock) {
        blobs.addAll(digests);
      }
    }

    public void addSnapshots(Collection<Digest> chainIds) {
      synchronized (lock) {
        snapshots.addAll(chainIds);
      }
    }

    @Override
    public void close() {
      synchronized (lock) {
        active.remove(this);
      }
    }
  }
}
