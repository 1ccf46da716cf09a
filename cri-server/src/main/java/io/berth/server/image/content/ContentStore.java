package io.berth.server.image.content;

import io.berth.os.AtomicFile;
import io.berth.server.image.manifest.Descriptor;
import io.berth.server.image.reference.Digest;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Blobs by digest under {@code <root>/content/<algorithm>/<hex>}. A blob is written to
 * {@code content/ingest/}, verified against its descriptor's digest and size, fsync'd and renamed
 * into place, so a blob at its digest path is always complete and correct. Leftover ingest files
 * (a failed pull, a crash) are swept by {@link #sweepIngests()} at startup.
 */
public final class ContentStore {
  private static final StructuredLogger LOG = StructuredLogger.get(ContentStore.class);

  private final Path root;
  private final Path ingest;

  public ContentStore(Path contentRoot) throws IOException {
    this.root = contentRoot;
    this.ingest = contentRoot.resolve("ingest");
    Files.createDirectories(contentRoot.resolve("sha256"));
    Files.createDirectories(ingest);
  }

  public Path root() {
    return root;
  }

  public Path path(Digest digest) {
    return root.resolve(digest.algorithm()).resolve(digest.hex());
  }

  public boolean contains(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  public byte[] read(Digest digest) throws IOException {
    return Files.readAllBytes(path(digest));
  }

  public InputStream open(Digest digest) throws IOException {
    return Files.newInputStream(path(digest));
  }

  public long size(Digest digest) throws IOException {
    return Files.size(path(digest));
  }

  /** Starts writing a blob; the returned ingest verifies it before it becomes visible. */
  public BlobIngest begin(Descriptor expected) throws IOException {
    Path tmp = ingest.resolve(expected.digest().hex() + "-" + UUID.randomUUID() + ".partial");
    return new BlobIngest(this, expected, tmp);
  }

  /** Stores small content already in memory (a manifest, a config), verified against {@code expected}. */
  public void put(Descriptor expected, byte[] content) throws IOException {
    if (contains(expected.digest())) {
      return;
    }
    try (BlobIngest in = begin(expected)) {
      in.write(ByteBuffer.wrap(content));
      in.commit();
    }
  }

  /** Renames a verified, synced ingest file into place; an existing blob (identical by digest) wins. */
  void commit(Path tmp, Digest digest) throws IOException {
    Path target = path(digest);
    Files.createDirectories(target.getParent());
    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    AtomicFile.fsyncDirectory(target.getParent());
  }

  public void delete(Digest digest) throws IOException {
    AtomicFile.delete(path(digest));
  }

  /** Every stored blob. */
  public List<Digest> list() throws IOException {
    List<Digest> out = new ArrayList<>();
    for (String alg : List.of("sha256", "sha512")) {
      Path dir = root.resolve(alg);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          try {
            out.add(new Digest(alg, p.getFileName().toString()));
          } catch (IllegalArgumentException e) {
            LOG.warn("stray file in content store", "path", p);
          }
        }
      }
    }
    return out;
  }

  /** Deletes every ingest file: run at startup, before any pull, so none is in use. */
  public int sweepIngests() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(ingest)) {
      for (Path p : ds) {
        try {
          Files.delete(p);
          n++;
        } catch (NoSuchFileException e) {
          // gone already
        }
      }
    }
    return n;
  }

  /** Bytes and inodes the stored blobs use. */
  public long[] usage() throws IOException {
    long bytes = 0;
    long inodes = 0;
    for (Digest d : list()) {
      try {
        bytes += Files.size(path(d));
        inodes++;
      } catch (NoSuchFileException e) {
        // removed concurrently
      }
    }
    return new long[] {bytes, inodes};
  }
}
