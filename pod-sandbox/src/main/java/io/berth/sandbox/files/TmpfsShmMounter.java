package io.berth.sandbox.files;

import io.berth.os.Linux;
import io.berth.os.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mounts the pod's /dev/shm as tmpfs with the options Docker, containerd and CRI-O use. */
public final class TmpfsShmMounter implements ShmMounter {
  private final Linux linux;
  private final MountTable mounts;

  public TmpfsShmMounter(Linux linux, MountTable mounts) {
    this.linux = linux;
    this.mounts = mounts;
  }

  @Override
  public void mount(Path dir, long sizeBytes) throws IOException {
    Files.createDirectories(dir);
    if (mounts.isMountPoint(dir)) {
      return;
    }
    linux.mount("shm", dir.toString(), "tmpfs", Linux.MS_NOSUID | Linux.MS_NODEV | Linux.MS_NOEXEC,
        "mode=1777,size=" + sizeBytes);
  }

  @Override
  public void unmount(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    // A stacked mount (mount called twice across a crash) needs one unmount per layer.
    for (int layer = 0; mounts.isMountPoint(dir); layer++) {
      if (layer == 16) {
        throw new IOException("cannot unmount " + dir + ": still mounted after 16 unmounts");
      }
      linux.unmountIfMounted(dir.toString());
    }
    Files.deleteIfExists(dir);
  }
}
