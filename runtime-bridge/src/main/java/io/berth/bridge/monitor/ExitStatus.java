package io.berth.bridge.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A container's exit as conmon recorded it: the exit code (128+N when killed by signal N) in the
 * exit file, and the time it exited as the file's modification time (conmon writes it right after
 * reaping the container), like CRI-O reads it.
 */
public record ExitStatus(int exitCode, long finishedAtNanos) {

  public static Optional<ExitStatus> read(Path exitFile) throws IOException {
    String text;
    FileTime mtime;
    try {
      mtime = Files.getLastModifiedTime(exitFile);
      text = Files.readString(exitFile, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (text.isEmpty()) {
      // conmon writes through a temp file and rename, so an empty file is not conmon's; treat as unknown.
      return Optional.empty();
    }
    int code;
    try {
      code = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IOException("unreadable exit file " + exitFile + ": \"" + text + "\"", e);
    }
    long nanos = mtime.to(TimeUnit.SECONDS) * 1_000_000_000L + mtime.toInstant().getNano();
    return Optional.of(new ExitStatus(code, nanos));
  }
}
