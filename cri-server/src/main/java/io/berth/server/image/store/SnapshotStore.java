package io.berth.server.image.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.os.AtomicFile;
import io.berth.os.PosixFiles;
import io.berth.server.Json;
import io.berth.server.image.reference.Digest;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unpacked layers, one directory per chain id: {@code snapshots/<hex>/fs} is the layer's files
 * (an overlayfs lower dir), {@code snapshots/<hex>/snapshot.json} its diff id and usage. A snapshot
 * is unpacked under {@code snapshots/ingest/}, synced, and renamed into place, so a snapshot dir
 * that exists is complete. Removal renames it back into ingest first, so a crash mid-delete leaves
 * only ingest debris, which {@link #sweepIngests()} removes at startup.
 */
public final class SnapshotStore {
  private static final StructuredLogger LOG = StructuredLogger.get(SnapshotStore.class);
  private static final String FS = "fs";
  private static final String META = "snapshot.json";

  private final Path root;
  private final Path ingest;
  private final PosixFiles files;
  private final Map<Digest, Snapshot> cache = new ConcurrentHashMap<>();

  public SnapshotStore(Path root, PosixFiles files) throws IOException {
    this.root = root;
    this.ingest = root.resolve("ingest");
    this.files = files;
    Files.createDirectories(ingest);
  }

  public Path root() {
    return root;
  }

  public Optional<Snapshot> get(Digest chainId) {
    Snapshot cached = cache.get(chainId);
    if (cached != null) {
      if (Files.isDirectory(cached.dir())) {
        return Optional.of(cached);
      }
      cache.remove(chainId, cached);
    }
    Path dir = root.resolve(chainId.hex());
    Path meta = dir.resolve(META);
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.mapper().readTree(meta.toFile());
      Snapshot s = new Snapshot(chainId, Digest.parse(n.path("diffId").asText()), dir.resolve(FS),
          n.path("fileBytes").asLong(), n.path("inodes").asLong());
      cache.put(chainId, s);
      return Optional.of(s);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("unreadable snapshot metadata", "snapshot", chainId, "error", String.valueOf(e));
      return Optional.empty();
    }
  }

  /** A directory to unpack a layer into; commit or discard it. */
  public Pending begin(Digest chainId) throws IOException {
    Path dir = ingest.resolve(chainId.hex() + "-" + UUID.randomUUID());
    Files.createDirectories(dir.resolve(FS));
    return new Pending(chainId, dir);
  }

  /** A snapshot being unpacked. */
  public final class Pending implements AutoCloseable {
    private final Digest chainId;
    private final Path dir;
    private boolean committed;

    Pending(Digest chainId, Path dir) {
      this.chainId = chainId;
      this.dir = dir;
    }

    public Path fs() {
      return dir.resolve(FS);
    }

    /** Syncs the file system, writes the metadata and renames into place; an existing snapshot wins. */
    public Snapshot commit(Digest diffId, long fileBytes, long inodes) throws IOException {
      ObjectNode meta = Json.mapper().createObjectNode();
      meta.put("chainId", chainId.toString());
      meta.put("diffId", diffId.toString());
      meta.put("fileBytes", fileBytes);
      meta.put("inodes", inodes);
      Files.write(dir.resolve(META), Json.mapper().writeValueAsBytes(meta));
      // One syncfs for the whole layer instead of an fsync per file: after a power loss a
      // snapshot that exists is complete, like the blobs.
      files.syncFileSystem(dir);
      Path target = root.resolve(chainId.hex());
      try {
        Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileSystemException e) {
        if (!Files.isRegularFile(target.resolve(META))) {
          throw e;
        }
        // rename(2) onto a non-empty directory fails: that snapshot was committed already
        LOG.debug("snapshot already committed", "snapshot", chainId);
        removeTree(dir);
      }
      AtomicFile.fsyncDirectory(root);
      committed = true;
      return get(chainId).orElseThrow(() -> new IOException("snapshot " + chainId + " vanished after commit"));
    }

    @Override
    public void close() throws IOException {
      if (!committed) {
        removeTree(dir);
      }
    }
  }

  /** Every committed snapshot's chain id. */
  public List<Digest> list() throws IOException {
    List<Digest> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.length() == 64 && name.matches("[a-f0-9]{64}")) {
          out.add(new Digest("sha256", name));
        }
      }
    }
    return out;
  }

  /** Removes a snapshot: first out of sight (rename into ingest), then from disk. */
  public void remove(Digest chainId) throws IOException {
    cache.remove(chainId);
    Path dir = root.resolve(chainId.hex());
    if (!Files.exists(dir)) {
      return;
    }
    Path trash = ingest.resolve(chainId.hex() + "-removed-" + UUID.randomUUID());
    Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
    AtomicFile.fsyncDirectory(root);
    removeTree(trash);
  }

  /** Deletes every unfinished or half-removed snapshot: run at startup, before any pull. */
  public int sweepIngests() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(ingest)) {
      for (Path p : ds) {
        removeTree(p);
        n++;
      }
    }
    return n;
  }

  static void removeTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        // a layer may hold read-only directories (mode 0555): make them writable to empty them
        try {
          Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
          // root ignores directory modes anyway
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        try {
          Files.delete(file);
        } catch (NoSuchFileException e) {
          // already gone
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
