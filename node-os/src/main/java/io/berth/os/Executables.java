package io.berth.os;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a program the way a shell does: an absolute path as is, a bare name through PATH. */
public final class Executables {
  private Executables() {}

  public static Optional<Path> find(String nameOrPath) {
    return find(nameOrPath, System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
  }

  public static Optional<Path> find(String nameOrPath, String searchPath) {
    if (nameOrPath.contains("/")) {
      Path p = Path.of(nameOrPath);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    // sbin directories are searched even when PATH lacks them (runc lives in /usr/sbin on Debian).
    String dirs = searchPath + ":/usr/local/sbin:/usr/sbin:/sbin";
    for (String dir : dirs.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, nameOrPath);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
