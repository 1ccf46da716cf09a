package io.berth.bridge.rootfs;

import io.berth.os.FileTrees;
import io.berth.os.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's root filesystem as an overlay of the image's snapshot directories (read-only lower
 * dirs, top layer first) and a writable upper dir of its own. Read-only root filesystems are
 * still mounted read-write here: the OCI spec's {@code root.readonly} makes the runtime remount
 * it read-only inside the container, as containerd and CRI-O do.
 */
public final class OverlayRootfs {
  /** The kernel copies at most one page of mount options. */
  private static final int MAX_MOUNT_DATA = 4095;

  private final Linux linux;

  public OverlayRootfs(Linux linux) {
    this.linux = linux;
  }

  /**
   * Mounts the overlay under {@code containerDir} (creating upper, work and rootfs) and returns its
   * layout. Mounting a rootfs that is already mounted (after a daemon restart) does nothing.
   *
   * @param lowerDirs snapshot directories, top (most recent layer) first; may be empty for an
   *     image without layers
   */
  public RootfsLayout mount(Path containerDir, List<Path> lowerDirs) throws IOException {
    RootfsLayout layout = RootfsLayout.under(containerDir);
    if (isMounted(layout.rootfs())) {
      return layout;
    }
    Files.createDirectories(layout.upper());
    Files.createDirectories(layout.work());
    Files.createDirectories(layout.rootfs());
    List<Path> lowers = new ArrayList<>();
    for (Path dir : lowerDirs) {
      if (!Files.isDirectory(dir)) {
        throw new NoSuchFileException(dir.toString(), null, "snapshot directory does not exist");
      }
      lowers.add(dir.toAbsolutePath());
    }
    if (lowers.isEmpty()) {
      // overlayfs needs at least one lower dir; an image without layers gets an empty one.
      Path empty = containerDir.resolve("empty-lower");
      Files.createDirectories(empty);
      lowers.add(empty.toAbsolutePath());
    }
    String data = options(lowers, layout);
    if (data.length() > MAX_MOUNT_DATA) {
      data = options(shortLinks(lowers, layout.lowerLinks()), layout);
      if (data.length() > MAX_MOUNT_DATA) {
        throw new IOException("too many image layers (" + lowers.size() + ") for one overlay mount");
      }
    }
    linux.mount("overlay", layout.rootfs().toString(), "overlay", 0, data);
    return layout;
  }

  /** The overlay mount options; paths with ':' or ',' cannot be expressed and are refused. */
  static String options(List<Path> lowers, RootfsLayout layout) throws IOException {
    StringBuilder lower = new StringBuilder();
    for (Path p : lowers) {
      String s = check(p);
      if (lower.length() > 0) {
        lower.append(':');
      }
      lower.append(s);
    }
    return "lowerdir=" + lower + ",upperdir=" + check(layout.upper().toAbsolutePath())
        + ",workdir=" + check(layout.work().toAbsolutePath());
  }

  private static String check(Path p) throws IOException {
    String s = p.toString();
    if (s.indexOf(':') >= 0 || s.indexOf(',') >= 0) {
      throw new IOException("overlay paths may not contain ':' or ',': " + s);
    }
    return s;
  }

  /** Numbered symlinks to the lower dirs: overlayfs follows them, and their paths are short. */
  private static List<Path> shortLinks(List<Path> lowers, Path linkDir) throws IOException {
    Files.createDirectories(linkDir);
    List<Path> links = new ArrayList<>();
    for (int i = 0; i < lowers.size(); i++) {
      Path link = linkDir.resolve(Integer.toString(i, 36));
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, lowers.get(i));
      links.add(link.toAbsolutePath());
    }
    return links;
  }

  /** Unmounts the rootfs if it is mounted; the upper dir (the container's changes) is kept. */
  public void unmount(Path containerDir) throws IOException {
    linux.unmountIfMounted(RootfsLayout.under(containerDir).rootfs().toString());
  }

  /** Unmounts and deletes the rootfs, upper, work and link dirs; missing parts are fine. */
  public void remove(Path containerDir) throws IOException {
    unmount(containerDir);
    RootfsLayout layout = RootfsLayout.under(containerDir);
    if (isMounted(layout.rootfs())) {
      throw new IOException(layout.rootfs() + " is still mounted; not deleting below it");
    }
    for (Path p : List.of(layout.rootfs(), layout.upper(), layout.work(), layout.lowerLinks(),
        containerDir.resolve("empty-lower"))) {
      FileTrees.delete(p);
    }
  }

  /** Whether {@code path} is a mount point, from /proc/self/mountinfo. */
  public static boolean isMounted(Path path) throws IOException {
    String target = path.toAbsolutePath().normalize().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].replace("\\040", " ").equals(target)) {
        return true;
      }
    }
    return false;
  }

}
