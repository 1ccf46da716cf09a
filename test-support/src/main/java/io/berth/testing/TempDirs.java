package io.berth.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Temp dirs for fixtures, and their removal. Removal never crosses into a mount: a rootfs, a
 * bind mount or a pinned namespace left under a test dir must be unmounted first, never emptied,
 * or the test would delete host files through it.
 */
public final class TempDirs {
  private TempDirs() {}

  /**
   * A new directory under {@code berth.test.tmpdir} (default {@code java.io.tmpdir}); names stay
   * short because unix socket paths inside it are limited to 107 bytes.
   */
  public static Path create(String prefix) throws IOException {
    Path base = Path.of(System.getProperty("berth.test.tmpdir", System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    return Files.createTempDirectory(base, prefix).toRealPath();
  }

  /** Mount points at or under {@code dir}, deepest first, from /proc/self/mountinfo. */
  public static List<Path> mountsUnder(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    List<Path> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4) {
        Path mp = Paths.get(unescape(f[4]));
        if (mp.startsWith(abs)) {
          out.add(mp);
        }
      }
    }
    out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return out;
  }

  /**
   * Unmounts everything under {@code dir} (lazily where busy) and returns what was mounted.
   * Repeats, because mounts can be stacked on one path (a self bind mount under a pin).
   */
  public static List<Path> unmountAll(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      List<Path> mounts = mountsUnder(dir);
      if (mounts.isEmpty()) {
        return found;
      }
      for (Path mp : mounts) {
        if (!found.contains(mp)) {
          found.add(mp);
        }
        Commands.Result r = Commands.run(null, List.of("umount", mp.toString()));
        if (r.exitCode() != 0) {
          Commands.run(null, List.of("umount", "--lazy", mp.toString()));
        }
      }
    }
    List<Path> left = mountsUnder(dir);
    if (!left.isEmpty()) {
      throw new IOException("cannot unmount " + left);
    }
    return found;
  }

  /**
   * Deletes {@code dir} and everything in it without following symlinks; refuses (IOException)
   * when anything under it is still a mount point.
   */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> mounts = mountsUnder(dir);
    if (!mounts.isEmpty()) {
      throw new IOException("refusing to delete " + dir + ": still mounted under it: " + mounts);
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      // A directory may be read-only (an extracted layer): make it writable before emptying it.
      p.toFile().setWritable(true, true);
      try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
        for (Path c : children) {
          deleteTree(c);
        }
      }
    }
    Files.deleteIfExists(p);
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
