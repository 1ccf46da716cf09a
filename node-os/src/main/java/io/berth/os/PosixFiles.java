package io.berth.os;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Runtime;

/**
 * Checked wrapper over {@link FileCalls}: every failure is an {@link IOException} naming the call,
 * the path and the errno text. Thread safe; one instance per process is enough.
 */
public final class PosixFiles {
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int O_RDONLY = 0;
  private static final int O_DIRECTORY = 0200000;
  private static final int O_CLOEXEC = 02000000;
  private static final int O_NOFOLLOW = 0400000;

  private final FileCalls calls;
  private final Runtime runtime;

  public PosixFiles(FileCalls calls) {
    this.calls = calls;
    this.runtime = Runtime.getRuntime(calls);
  }

  public static PosixFiles load() {
    return new PosixFiles(FileCalls.load());
  }

  /**
   * Sets all twelve mode bits (NIO cannot set setuid, setgid or sticky). Follows a symlink, so
   * callers must never pass one (Linux ignores a symlink's own mode anyway).
   */
  public void chmod(Path path, int mode) throws IOException {
    check(calls.chmod(path.toString(), mode & 07777), "chmod " + Integer.toOctalString(mode), path);
  }

  /** Sets access and modification time of {@code path} itself, never of a symlink's target. */
  public void setTimesNoFollow(Path path, FileTime atime, FileTime mtime) throws IOException {
    long[] times = {seconds(atime), nanos(atime), seconds(mtime), nanos(mtime)};
    check(calls.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW), "utimensat", path);
  }

  /** Flushes the whole file system holding {@code dir} to disk (one call instead of an fsync per file). */
  public void syncFileSystem(Path dir) throws IOException {
    int fd = calls.open(dir.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW, 0);
    if (fd < 0) {
      throw error("open", dir);
    }
    try {
      check(calls.syncfs(fd), "syncfs", dir);
    } finally {
      calls.close(fd);
    }
  }

  private static long seconds(FileTime t) {
    return Math.floorDiv(t.to(TimeUnit.NANOSECONDS), 1_000_000_000L);
  }

  private static long nanos(FileTime t) {
    return Math.floorMod(t.to(TimeUnit.NANOSECONDS), 1_000_000_000L);
  }

  private void check(int rc, String what, Path path) throws IOException {
    if (rc != 0) {
      throw error(what, path);
    }
  }

  private IOException error(String what, Path path) {
    int errno = runtime.getLastError();
    jnr.constants.platform.Errno e = jnr.constants.platform.Errno.valueOf(errno);
    return new IOException(what + " " + path + ": " + (e == null ? "errno " + errno : e.description())
        + " (errno " + errno + ")");
  }
}
