package io.berth.os;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deleting directory trees the way teardown needs it: symlinks are removed, never followed (a
 * container's or layer's symlink pointing at /etc must not take the host's /etc with it), a missing
 * tree is fine (teardown is retried), and entries vanishing meanwhile are fine.
 */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything below it; a missing root is not an error. */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // walkFileTree does not follow symlinks unless asked: a link is visited as a file and unlinked.
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null && !(exc instanceof NoSuchFileException)) {
          throw exc;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Like {@link #delete} for scratch files whose removal must never fail the caller. */
  public static void deleteQuietly(Path root) {
    try {
      delete(root);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
