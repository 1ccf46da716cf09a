package io.berth.bridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The cgroup directories a test parent leaves in every hierarchy, and their removal. */
public final class Cgroups {
  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  private Cgroups() {}

  /** Every existing directory named {@code parent} (relative, e.g. "berth-it-1a2b") in any hierarchy. */
  public static List<Path> dirs(String parent) throws IOException {
    List<Path> out = new ArrayList<>();
    List<Path> hierarchies = new ArrayList<>();
    hierarchies.add(ROOT);
    try (Stream<Path> s = Files.list(ROOT)) {
      s.filter(Files::isDirectory).forEach(hierarchies::add);
    }
    for (Path h : hierarchies) {
      Path d = h.resolve(parent);
      if (Files.isDirectory(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /** Removes the parent's directories, children first (rmdir; cgroup files cannot be deleted). */
  public static void remove(String parent) throws IOException {
    for (Path d : dirs(parent)) {
      List<Path> subdirs = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(d)) {
        walk.filter(Files::isDirectory).forEach(subdirs::add);
      }
      subdirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
      for (Path s : subdirs) {
        Files.deleteIfExists(s);
      }
    }
  }
}
