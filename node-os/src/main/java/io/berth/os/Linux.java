package io.berth.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Runtime;

/**
 * Thin, checked wrapper over {@link LibC}: each call throws an {@link IOException} carrying the
 * errno text and the path it was about, so callers never inspect return codes.
 * One instance per process is enough (the binding is thread safe); tests may pass their own.
 */
public final class Linux {
  public static final long MS_RDONLY = 1;
  public static final long MS_NOSUID = 2;
  public static final long MS_NODEV = 4;
  public static final long MS_NOEXEC = 8;
  public static final long MS_REMOUNT = 32;
  public static final long MS_BIND = 4096;
  public static final long MS_MOVE = 8192;
  public static final long MS_REC = 16384;
  public static final long MS_PRIVATE = 1 << 18;
  public static final long MS_SLAVE = 1 << 19;
  public static final long MS_SHARED = 1 << 20;
  public static final int MNT_DETACH = 2;
  public static final int UMOUNT_NOFOLLOW = 8;
  public static final int S_IFCHR = 0020000;
  public static final int PR_SET_CHILD_SUBREAPER = 36;
  public static final int EINVAL = 22;
  public static final int ENOENT = 2;
  public static final int ENODATA = 61;
  public static final int ECHILD = 10;
  public static final int WNOHANG = 1;

  private final LibC libc;
  private final Runtime runtime;

  public Linux(LibC libc) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
  }

  public static Linux load() {
    return new Linux(LibC.load());
  }

  public void mount(String source, String target, String fstype, long flags, String data) throws IOException {
    check(libc.mount(source, target, fstype, flags, data), "mount " + source + " on " + target);
  }

  public void bindMount(String source, String target, boolean recursive) throws IOException {
    mount(source, target, null, MS_BIND | (recursive ? MS_REC : 0), null);
  }

  /** Detaching unmount; an unmounted or missing target is not an error (idempotent teardown). */
  public void unmountIfMounted(String target) throws IOException {
    if (libc.umount2(target, MNT_DETACH | UMOUNT_NOFOLLOW) != 0) {
      int errno = errno();
      if (errno != EINVAL && errno != ENOENT) {
        throw error(errno, "umount " + target);
      }
    }
  }

  public void setXattr(String path, String name, byte[] value) throws IOException {
    check(libc.lsetxattr(path, name, value, value.length, 0), "setxattr " + name + " on " + path);
  }

  /** Returns null when the attribute is absent. */
  public byte[] getXattr(String path, String name) throws IOException {
    byte[] buf = new byte[4096];
    long n = libc.lgetxattr(path, name, buf, buf.length);
    if (n < 0) {
      int errno = errno();
      if (errno == ENODATA) {
        return null;
      }
      throw error(errno, "getxattr " + name + " on " + path);
    }
    byte[] out = new byte[(int) n];
    System.arraycopy(buf, 0, out, 0, out.length);
    return out;
  }

  /** An overlayfs whiteout: a character device 0:0. */
  public void mknodWhiteout(String path) throws IOException {
    check(libc.mknod(path, S_IFCHR, 0), "mknod whiteout " + path);
  }

  public void mknod(String path, int mode, long dev) throws IOException {
    check(libc.mknod(path, mode, dev), "mknod " + path);
  }

  public void lchown(String path, int uid, int gid) throws IOException {
    check(libc.lchown(path, uid, gid), "lchown " + path);
  }

  /** Orphaned descendants (monitors, exec processes) get reparented to us and reaped promptly. */
  public void becomeChildSubreaper() throws IOException {
    check(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)");
  }

  /** Signal 0 probes liveness. */
  public boolean kill(int pid, int signal) {
    return libc.kill(pid, signal) == 0;
  }

  /** Reaps {@code pid} if it is our exited child; true when reaped (or already gone). */
  public boolean reapNoHang(int pid) {
    int[] status = new int[1];
    int rc = libc.waitpid(pid, status, WNOHANG);
    return rc == pid || (rc < 0 && errno() == ECHILD);
  }

  public int pid() {
    return libc.getpid();
  }

  public boolean isRoot() {
    return libc.getuid() == 0;
  }

  public int errno() {
    return runtime.getLastError();
  }

  private void check(int rc, String what) throws IOException {
    if (rc != 0) {
      throw error(errno(), what);
    }
  }

  private IOException error(int errno, String what) {
    return new IOException(what + ": " + strerror(errno) + " (errno " + errno + ")");
  }

  private static String strerror(int errno) {
    jnr.constants.platform.Errno e = jnr.constants.platform.Errno.valueOf(errno);
    return e == null ? "errno " + errno : e.description();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
