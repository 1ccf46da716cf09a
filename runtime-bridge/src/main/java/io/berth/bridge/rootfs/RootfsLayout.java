package io.berth.bridge.rootfs;

import java.nio.file.Path;

/**
 * Where a container's root filesystem lives under its directory: the overlay mount point, the
 * writable upper dir and overlayfs' work dir (same file system as upper), and short links to the
 * lower dirs when their full paths do not fit in one mount option string.
 */
public record RootfsLayout(Path rootfs, Path upper, Path work, Path lowerLinks) {
  public static RootfsLayout under(Path containerDir) {
    return new RootfsLayout(containerDir.resolve("rootfs"), containerDir.resolve("upper"),
        containerDir.resolve("work"), containerDir.resolve("lower"));
  }
}
