package io.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian packages fetched with {@code apt-get download} into a cache directory, verified against
 * the SHA-256 the archive index promises, and extracted with {@code dpkg-deb -x}. The host's
 * installed packages are never changed.
 */
final class DebianPackages {
  /** One line of {@code apt-get download --print-uris}: 'URI' FILENAME SIZE SHA256:HEX */
  private static final Pattern URI_LINE = Pattern.compile("'([^']+)' (\\S+) (\\d+) SHA256:([0-9a-f]{64})");

  /** A package file as the archive index describes it. */
  record DebFile(String fileName, long size, String sha256) {}

  private final Path cacheDir;

  DebianPackages(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /**
   * What {@code apt-get download} would fetch for {@code packages}, read from the local package
   * index only (no network), so an unchanged cache is recognised without downloading anything.
   */
  List<DebFile> candidates(String... packages) throws IOException {
    Path empty = Files.createTempDirectory("berth-apt-");
    try {
      List<String> argv = new ArrayList<>(List.of("apt-get", "download", "--print-uris"));
      argv.addAll(List.of(packages));
      String out;
      try {
        out = Commands.check(empty, argv);
      } catch (IOException e) {
        throw new IOException("cannot resolve " + String.join(" ", packages)
            + " in the apt index (run: apt-get update): " + e.getMessage(), e);
      }
      List<DebFile> files = new ArrayList<>();
      for (String line : out.split("\n")) {
        Matcher m = URI_LINE.matcher(line.strip());
        if (m.matches()) {
          files.add(new DebFile(m.group(2), Long.parseLong(m.group(3)), m.group(4)));
        }
      }
      if (files.size() != packages.length) {
        throw new IOException("apt-get download --print-uris " + String.join(" ", packages)
            + " listed " + files.size() + " files:\n" + out);
      }
      return files;
    } finally {
      Files.deleteIfExists(empty);
    }
  }

  /** The .deb in the cache, downloaded (into a private temp dir, then renamed) when missing. */
  Path fetch(DebFile deb) throws IOException {
    Files.createDirectories(cacheDir);
    Path cached = cacheDir.resolve(deb.fileName());
    if (Files.isRegularFile(cached) && Digest.of(cached).hex().equals(deb.sha256())) {
      return cached;
    }
    String[] parts = deb.fileName().split("_");
    // busybox_1%3a1.35.0-4_amd64.deb -> busybox=1:1.35.0-4: exactly the version the index listed
    String pkg = parts[0] + "=" + percentDecode(parts[1]);
    Path tmp = Files.createTempDirectory(cacheDir, "download-");
    try {
      // APT::Sandbox::User=root: the _apt user could not write into a root-owned temp dir.
      Commands.check(tmp, List.of("apt-get", "download", "-q", "-o", "APT::Sandbox::User=root", pkg));
      Path got = tmp.resolve(deb.fileName());
      if (!Files.isRegularFile(got)) {
        throw new IOException("apt-get download " + pkg + " did not produce " + deb.fileName());
      }
      String sha = Digest.of(got).hex();
      if (!sha.equals(deb.sha256())) {
        throw new IOException(deb.fileName() + " has sha256 " + sha + ", the index says " + deb.sha256());
      }
      Files.move(got, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return cached;
    } finally {
      TempDirs.deleteRecursively(tmp);
    }
  }

  /** apt escapes only with %XX (the epoch colon); '+' is literal, unlike in URL query decoding. */
  private static String percentDecode(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Extracts {@code deb} into {@code dir} with {@code dpkg-deb -x}. */
  static void extract(Path deb, Path dir) throws IOException {
    Files.createDirectories(dir);
    Commands.check(List.of("dpkg-deb", "-x", deb.toString(), dir.toString()));
  }
}
