package io.berth.bridge.spec;

import io.berth.bridge.spec.oci.Oci;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** {@link HostView} of the machine this JVM runs on: stat, realpath and /proc/self/mountinfo. */
public final class LinuxHostView implements HostView {
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  /** Host /dev entries a privileged container must not get: they belong to the host's terminals. */
  private static final Set<String> SKIPPED_DEV_DIRS = Set.of("pts", "shm", "mqueue", "fd");

  @Override
  public Optional<Path> realPath(String hostPath) throws IOException {
    try {
      return Optional.of(Path.of(hostPath).toRealPath());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public Propagation propagationOf(Path path) throws IOException {
    String best = "";
    Propagation result = Propagation.PRIVATE;
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      // id parent major:minor root mountpoint options [optional fields...] - fstype source superopts
      String[] f = line.split(" ");
      if (f.length < 7) {
        continue;
      }
      String mountPoint = unescape(f[4]);
      if (!isUnder(path.toString(), mountPoint) || mountPoint.length() < best.length()) {
        continue;
      }
      best = mountPoint;
      result = Propagation.PRIVATE;
      for (int i = 6; i < f.length && !f[i].equals("-"); i++) {
        if (f[i].startsWith("shared:")) {
          result = Propagation.SHARED;
          break;
        }
        if (f[i].startsWith("master:")) {
          result = Propagation.SLAVE;
        }
      }
    }
    return result;
  }

  private static boolean isUnder(String path, String mountPoint) {
    return mountPoint.equals("/") || path.equals(mountPoint) || path.startsWith(mountPoint + "/");
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String unescape(String s) {
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  @Override
  public List<Oci.Device> devices(Path hostPath, String containerPath) throws IOException {
    List<Oci.Device> out = new ArrayList<>();
    if (Files.isDirectory(hostPath, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(hostPath)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          String relative = hostPath.relativize(p).toString();
          device(p, relative.isEmpty() ? containerPath : containerPath + "/" + relative).ifPresent(out::add);
        }
      }
      return out;
    }
    device(hostPath, containerPath).ifPresent(out::add);
    if (out.isEmpty()) {
      throw new IOException(hostPath + " is not a device node");
    }
    return out;
  }

  @Override
  public List<Oci.Device> allHostDevices() throws IOException {
    List<Oci.Device> out = new ArrayList<>();
    Path dev = Path.of("/dev");
    try (Stream<Path> walk = Files.walk(dev)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path rel = dev.relativize(p);
        if (rel.getNameCount() > 0 && SKIPPED_DEV_DIRS.contains(rel.getName(0).toString())
            || p.toString().equals("/dev/console")) {
          continue;
        }
        device(p, p.toString()).ifPresent(out::add);
      }
    }
    return out;
  }

  @Override
  public byte[] readFile(Path path) throws IOException {
    return Files.readAllBytes(path);
  }

  private static Optional<Oci.Device> device(Path p, String containerPath) throws IOException {
    if (Files.isSymbolicLink(p)) {
      return Optional.empty();
    }
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    String type;
    if ((mode & S_IFMT) == S_IFCHR) {
      type = "c";
    } else if ((mode & S_IFMT) == S_IFBLK) {
      type = "b";
    } else {
      return Optional.empty();
    }
    long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
    // glibc's gnu_dev_major/minor
    long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L);
    long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
    long uid = ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    long gid = ((Number) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
    return Optional.of(new Oci.Device(containerPath, type, major, minor, mode & 07777, uid, gid));
  }
}
