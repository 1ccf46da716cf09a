package io.berth.os;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls Java has no API for. Bound once through jnr-ffi; use {@link Linux} rather than
 * this interface directly, it turns errno into exceptions.
 */
public interface LibC {
  int mount(String source, String target, String fstype, long flags, String data);

  int umount2(String target, int flags);

  int lsetxattr(String path, String name, @In byte[] value, @size_t long size, int flags);

  @ssize_t long lgetxattr(String path, String name, @Out byte[] value, @size_t long size);

  int mknod(String path, int mode, long dev);

  int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  int setns(int fd, int nstype);

  int unshare(int flags);

  int kill(int pid, int sig);

  int lchown(String path, int uid, int gid);

  int utimensat(int dirfd, String path, Pointer times, int flags);

  int getuid();

  int waitpid(int pid, @Out int[] status, int options);

  int getpid();

  static LibC load() {
    return NativeBindings.libc();
  }
}
