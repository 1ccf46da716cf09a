package io.berth.server.image.store;

import io.berth.os.PosixFiles;
import io.berth.server.image.content.ContentStore;
import io.berth.server.image.reference.Digest;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * berth's image storage under root_dir: {@code content/} (blobs by digest), {@code snapshots/}
 * (unpacked layers by chain id) and {@code images/} (the records), plus the leases of running
 * pulls and the garbage collector that ties them together.
 *
 * <p>Recovery on open, assumptions written down: every committed blob and snapshot is complete
 * (they are renamed into place only after verification and sync); anything under an ingest
 * directory is debris of a pull or removal that did not finish (berthd was killed), and no pull
 * runs yet, so it is deleted. Committed content that no record references (a pull killed after
 * some layers finished) is kept for a retried pull and removed by the next collection.
 */
public final class ImageStore {
  private static final StructuredLogger LOG = StructuredLogger.get(ImageStore.class);

  private final Path root;
  private final ContentStore content;
  private final SnapshotStore snapshots;
  private final ImageRecordStore records;
  private final Leases leases = new Leases();

  private ImageStore(Path root, ContentStore content, SnapshotStore snapshots, ImageRecordStore records) {
    this.root = root;
    this.content = content;
    this.snapshots = snapshots;
    this.records = records;
  }

  public static ImageStore open(Path rootDir, PosixFiles files) throws IOException {
    Files.createDirectories(rootDir);
    ContentStore content = new ContentStore(rootDir.resolve("content"));
    SnapshotStore snapshots = new SnapshotStore(rootDir.resolve("snapshots"), files);
    ImageRecordStore records = new ImageRecordStore(rootDir.resolve("images"));
    int blobs = content.sweepIngests();
    int snaps = snapshots.sweepIngests();
    if (blobs + snaps > 0) {
      LOG.info("removed unfinished downloads", "blobs", blobs, "snapshots", snaps);
    }
    return new ImageStore(rootDir, content, snapshots, records);
  }

  public Path root() {
    return root;
  }

  public ContentStore content() {
    return content;
  }

  public SnapshotStore snapshots() {
    return snapshots;
  }

  public ImageRecordStore records() {
    return records;
  }

  public Leases leases() {
    return leases;
  }

  /** What a collection removed. */
  public record Collected(int blobs, int snapshots) {}

  /**
   * Removes every blob and snapshot that no image record, running pull or container
   * ({@code inUse}) references.
   */
  public Collected collectGarbage(Supplier<Set<Digest>> inUse) {
    return leases.exclusively(() -> {
      try {
        Set<Digest> keepBlobs = new HashSet<>(leases.leasedBlobs());
        Set<Digest> keepSnapshots = new HashSet<>(leases.leasedSnapshots());
        keepSnapshots.addAll(inUse.get());
        for (ImageRecord r : records.all()) {
          keepBlobs.addAll(r.blobs());
          keepSnapshots.addAll(r.chainIds());
        }
        int b = 0;
        int s = 0;
        for (Digest d : snapshots.list()) {
          if (!keepSnapshots.contains(d)) {
            snapshots.remove(d);
            s++;
          }
        }
        for (Digest d : content.list()) {
          if (!keepBlobs.contains(d)) {
            content.delete(d);
            b++;
          }
        }
        return new Collected(b, s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Bytes and inodes used by blobs and snapshots, from the usage recorded at commit time. */
  public long[] usage() throws IOException {
    long[] c = content.usage();
    long bytes = c[0];
    long inodes = c[1];
    List<Digest> all = snapshots.list();
    for (Digest d : all) {
      var s = snapshots.get(d);
      if (s.isPresent()) {
        bytes += s.get().fileBytes();
        inodes += s.get().inodes() + 2; // + the snapshot dir and its fs dir
      }
    }
    return new long[] {bytes, inodes};
  }
}
