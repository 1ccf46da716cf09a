package io.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

/**
 * Blobs by digest in a directory laid out like an OCI image layout ({@code blobs/sha256/<hex>}).
 *
 * <p>Several test JVMs may share one store (the image cache), so every blob is written to a temp
 * file and renamed into place: a reader never sees a partial blob, and two writers of the same
 * content simply race to an identical result.
 */
public final class BlobStore {
  private final Path root;

  public BlobStore(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("blobs/sha256"));
      Files.createDirectories(root.resolve("tmp"));
      removeStaleTempFiles();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create blob store " + root, e);
    }
  }

  /** Temp files of writers that died (a killed test JVM) are removed once clearly abandoned. */
  private void removeStaleTempFiles() throws IOException {
    FileTime cutoff = FileTime.from(Instant.now().minus(Duration.ofHours(6)));
    try (java.util.stream.Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
      for (Path p : tmp.toList()) {
        try {
          if (Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
            TempDirs.deleteRecursively(p);
          }
        } catch (IOException raced) {
          // another JVM removed it first
        }
      }
    }
  }

  public Path root() {
    return root;
  }

  public Path path(Digest digest) {
    return root.resolve("blobs/sha256").resolve(digest.hex());
  }

  public boolean contains(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  public byte[] read(Digest digest) throws IOException {
    return Files.readAllBytes(path(digest));
  }

  public long size(Digest digest) throws IOException {
    return Files.size(path(digest));
  }

  /** Stores small content (configs, manifests) and returns its digest. */
  public Digest put(byte[] content) throws IOException {
    Digest digest = Digest.of(content);
    if (!contains(digest)) {
      Path tmp = newTempFile();
      Files.write(tmp, content);
      moveIntoPlace(tmp, digest);
    }
    return digest;
  }

  /** A temp file inside the store, on the same file system, for {@link #moveIntoPlace}. */
  Path newTempFile() throws IOException {
    return Files.createTempFile(root.resolve("tmp"), "blob-", ".partial");
  }

  /** Renames a finished temp file to its digest; an existing blob with that digest wins. */
  void moveIntoPlace(Path tmp, Digest digest) throws IOException {
    Path target = path(digest);
    // temp files are created 0600; blobs are content anyone on the host may read (like a registry's)
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      if (!Files.exists(target)) {
        throw e;
      }
    }
  }
}
