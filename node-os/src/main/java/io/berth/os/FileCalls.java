package io.berth.os;

import jnr.ffi.annotations.In;

/**
 * The libc file calls Java's NIO lacks: full mode bits (setuid, setgid, sticky), timestamps of a
 * symlink itself, and syncfs. Bound through jnr-ffi; use {@link PosixFiles}, which checks errno.
 */
public interface FileCalls {
  int chmod(String path, int mode);

  /** {@code times} holds atime sec, atime nsec, mtime sec, mtime nsec (two struct timespec). */
  int utimensat(int dirfd, String path, @In long[] times, int flags);

  int open(String path, int flags, int mode);

  int close(int fd);

  int syncfs(int fd);

  static FileCalls load() {
    return NativeBindings.fileCalls();
  }
}
