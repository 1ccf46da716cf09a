package io.berth.server.image;

import io.berth.server.image.content.BlobIngest;
import io.berth.server.image.content.ContentStore;
import io.berth.server.image.content.TeeVerifyingInputStream;
import io.berth.server.image.manifest.Descriptor;
import io.berth.server.image.reference.Digest;
import io.berth.server.image.registry.RegistryClient;
import io.berth.server.image.store.Snapshot;
import io.berth.server.image.store.SnapshotStore;
import io.berth.server.image.unpack.LayerUnpacker;
import io.berth.server.image.unpack.UnpackResult;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the snapshots of an image's layers exist: each layer that is not unpacked yet streams from
 * the registry through digest verification (into the content store) and decompression straight
 * into its snapshot, with up to N layers at once. Work is shared: one snapshot per chain id is
 * unpacked once even when several pulls need it, and one blob is downloaded once even when several
 * chains use it (the others unpack it from the content store).
 */
final class LayerFetcher {
  private static final StructuredLogger LOG = StructuredLogger.get(LayerFetcher.class);

  /** One layer to provide: its blob, the diff id the config promises, and its chain id. */
  record Job(Descriptor blob, Digest diffId, Digest chainId) {}

  private final ContentStore content;
  private final SnapshotStore snapshots;
  private final LayerUnpacker unpacker;
  private final ExecutorService executor;
  private final SingleFlight<Digest, Snapshot> snapshotFlights = new SingleFlight<>();
  private final SingleFlight<Digest, Snapshot> downloadFlights = new SingleFlight<>();

  LayerFetcher(ContentStore content, SnapshotStore snapshots, LayerUnpacker unpacker, ExecutorService executor) {
    this.content = content;
    this.snapshots = snapshots;
    this.unpacker = unpacker;
    this.executor = executor;
  }

  /**
   * Provides every job's snapshot, at most {@code parallel} at a time, and returns them in job
   * order. On the first failure the other layers are cancelled (their partial files removed)
   * before the failure is thrown. {@code downloaded} accumulates the bytes fetched.
   */
  List<Snapshot> fetchAll(RegistryClient registry, List<Job> jobs, int parallel, AtomicLong downloaded)
      throws Exception {
    List<Future<Snapshot>> futures = new ArrayList<>();
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(parallel);
    try {
      for (Job job : jobs) {
        futures.add(executor.submit(() -> {
          slots.acquire();
          try {
            return ensure(registry, job, downloaded);
          } finally {
            slots.release();
          }
        }));
      }
      List<Snapshot> out = new ArrayList<>();
      for (Future<Snapshot> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
      return out;
    } finally {
      cancelAndWait(futures);
    }
  }

  private static void cancelAndWait(List<Future<Snapshot>> futures) {
    for (Future<Snapshot> f : futures) {
      f.cancel(true);
    }
    // cancel(true) interrupts but does not wait: wait so partial files are gone when the pull fails
    for (Future<Snapshot> f : futures) {
      try {
        f.get();
      } catch (CancellationException | ExecutionException e) {
        // already reported, or cancelled by us
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Snapshot ensure(RegistryClient registry, Job job, AtomicLong downloaded) throws Exception {
    return snapshotFlights.run(job.chainId(), () -> {
      for (int attempt = 0; attempt < 3; attempt++) {
        var existing = snapshots.get(job.chainId());
        if (existing.isPresent()) {
          return existing.get();
        }
        if (content.contains(job.blob().digest())) {
          return unpackStored(job);
        }
        // Only one download per blob: another chain waiting here unpacks the stored blob after.
        Snapshot s = downloadFlights.run(job.blob().digest(), () -> {
          if (content.contains(job.blob().digest())) {
            return null;
          }
          return download(registry, job, downloaded);
        });
        if (s != null && s.chainId().equals(job.chainId())) {
          return s;
        }
      }
      throw new IOException("layer " + job.blob().digest() + " could not be provided");
    });
  }

  /** Streams the blob: registry -> (verify digest, store) -> decompress -> untar into the snapshot. */
  private Snapshot download(RegistryClient registry, Job job, AtomicLong downloaded) throws Exception {
    long start = System.nanoTime();
    try (BlobIngest ingest = content.begin(job.blob());
        SnapshotStore.Pending pending = snapshots.begin(job.chainId());
        InputStream raw = registry.blob(job.blob())) {
      UnpackResult r;
      TeeVerifyingInputStream tee = new TeeVerifyingInputStream(raw, ingest);
      try {
        r = unpacker.unpack(tee, pending.fs());
      } catch (IOException | RuntimeException e) {
        throw blameCorruption(tee, ingest, e);
      } finally {
        downloaded.addAndGet(ingest.written());
      }
      ingest.verify();
      checkDiffId(job, r);
      ingest.commit();
      Snapshot s = pending.commit(r.diffId(), r.fileBytes(), r.inodes());
      LOG.debug("layer pulled", "layer", job.blob().digest().shortHex(), "bytes", job.blob().size(),
          "tar_bytes", r.tarBytes(), "ms", (System.nanoTime() - start) / 1_000_000);
      return s;
    }
  }

  /**
   * A layer that failed to decompress or unpack may simply be corrupted on the way (a flipped bit
   * breaks gzip long before the digest is known). Reads the rest of the blob (at most its declared
   * size) to find out: if the digest does not match, that is the error to report (DATA_LOSS, not a
   * bad layer); if it matches, the layer itself is bad and {@code e} stands.
   */
  private static Exception blameCorruption(TeeVerifyingInputStream tee, BlobIngest ingest, Exception e) {
    if (e instanceof java.io.InterruptedIOException || e instanceof io.berth.server.image.registry.RegistryException
        || e instanceof io.berth.server.image.content.BlobVerificationException) {
      return e;
    }
    try {
      tee.transferTo(java.io.OutputStream.nullOutputStream());
      ingest.verify();
    } catch (io.berth.server.image.content.BlobVerificationException corrupt) {
      corrupt.addSuppressed(e);
      return corrupt;
    } catch (IOException | RuntimeException unknown) {
      e.addSuppressed(unknown);
    }
    return e;
  }

  /** The blob is stored already (another chain, or a pull killed after the download): unpack it. */
  private Snapshot unpackStored(Job job) throws IOException {
    try (SnapshotStore.Pending pending = snapshots.begin(job.chainId());
        InputStream in = content.open(job.blob().digest())) {
      UnpackResult r = unpacker.unpack(in, pending.fs());
      checkDiffId(job, r);
      return pending.commit(r.diffId(), r.fileBytes(), r.inodes());
    }
  }

  private static void checkDiffId(Job job, UnpackResult r) throws LayerDigestMismatchException {
    if (!r.diffId().equals(job.diffId())) {
      throw new LayerDigestMismatchException("layer " + job.blob().digest() + " uncompresses to " + r.diffId()
          + " but the image config says its diff id is " + job.diffId());
    }
  }
}
