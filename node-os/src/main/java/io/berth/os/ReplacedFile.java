package io.berth.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file through a temp file and rename, without fsync: readers (and a daemon restarted
 * after a crash, SIGKILL included) see the old or the new content, never a torn file, but a power
 * loss may bring the old content back or leave a new file empty. For state the daemon can
 * re-derive (a record's RUNNING or EXITED, which the runtime and the monitor's exit file also know)
 * or that dies with the host anyway (config.json and the CRI metadata of a container: a power
 * loss kills every container), this saves two fsyncs per write; the records that cannot be
 * re-derived go through {@link AtomicFile}.
 */
public final class ReplacedFile {
  private ReplacedFile() {}

  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
        + Thread.currentThread().getId());
    try {
      Files.write(tmp, content);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
