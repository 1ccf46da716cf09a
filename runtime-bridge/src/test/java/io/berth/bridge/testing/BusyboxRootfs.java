package io.berth.bridge.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.berth.os.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A busybox root filesystem for integration tests, built from Debian's dynamically linked busybox
 * .deb (not busybox-static, whose shell runs applets in-process) and the libc6 files it loads.
 * Applets are hard links to /bin/busybox, so masking or exec'ing one path never hits the others.
 * The .debs are downloaded once into target/it-debs with {@code apt-get download}.
 *
 * <p>A local stand-in until this module's tests switch to the shared test-support images.
 */
public final class BusyboxRootfs {
  public static final int APP_UID = 1000;
  public static final int APP_GID = 1000;
  public static final int WHEEL_GID = 10;

  private BusyboxRootfs() {}

  /** Builds the rootfs into {@code dir} (which must be empty or absent) and returns it. */
  public static Path build(Path dir) throws IOException {
    Path debs = Path.of("target/it-debs").toAbsolutePath();
    Path busyboxDeb = deb(debs, "busybox");
    Path libcDeb = deb(debs, "libc6");
    Path scratch = Files.createTempDirectory("berth-busybox-deb");
    try {
      extract(busyboxDeb, scratch.resolve("busybox"));
      extract(libcDeb, scratch.resolve("libc6"));
      Files.createDirectories(dir);
      for (String d : List.of("bin", "etc", "proc", "sys", "dev", "tmp", "root", "home/app", "var", "run", "lib64")) {
        Files.createDirectories(dir.resolve(d));
      }
      Path busybox = dir.resolve("bin/busybox");
      Files.copy(scratch.resolve("busybox/bin/busybox"), busybox);
      CommandRunner.Result list = run(List.of(busybox.toString(), "--list"), null, Duration.ofSeconds(30));
      for (String applet : list.stdoutText().split("\n")) {
        Path link = dir.resolve("bin").resolve(applet.trim());
        if (!applet.isBlank() && !applet.trim().equals("busybox") && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
          Files.createLink(link, busybox);
        }
      }
      Path multiarch = multiarchDir(scratch.resolve("libc6/lib"));
      Path libDir = Files.createDirectories(dir.resolve("lib").resolve(multiarch.getFileName()));
      for (String lib : List.of("libc.so.6", "libresolv.so.2", "libm.so.6")) {
        Files.copy(multiarch.resolve(lib), libDir.resolve(lib));
      }
      try (Stream<Path> s = Files.list(multiarch)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (p.getFileName().toString().startsWith("ld-linux")) {
            Files.copy(p, libDir.resolve(p.getFileName()));
            Files.createSymbolicLink(dir.resolve("lib64").resolve(p.getFileName()),
                Path.of("/lib").resolve(multiarch.getFileName()).resolve(p.getFileName()));
          }
        }
      }
      Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
          + "app:x:" + APP_UID + ":" + APP_GID + "::/home/app:/bin/sh\n"
          + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
      Files.writeString(dir.resolve("etc/group"), "root:x:0:\n" + "wheel:x:" + WHEEL_GID + ":app\n"
          + "app:x:" + APP_GID + ":\n" + "nogroup:x:65534:\n");
      return dir;
    } finally {
      deleteTree(scratch);
    }
  }

  private static Path deb(Path cache, String pkg) throws IOException {
    Files.createDirectories(cache);
    Optional<Path> found = find(cache, pkg);
    if (found.isPresent()) {
      return found.get();
    }
    HostRequirements.requireBinary("apt-get", "apt");
    List<String> cmd = List.of("/bin/sh", "-c", "cd '" + cache + "' && apt-get download " + pkg);
    CommandRunner.Result r = run(cmd, null, Duration.ofMinutes(5));
    return find(cache, pkg).orElseGet(() -> fail("apt-get download " + pkg + " failed (exit " + r.exitCode() + "): "
        + r.stderrText() + "; the tests need Debian's " + pkg + " .deb (network to the Debian mirror, or put it in "
        + cache + ")"));
  }

  private static Optional<Path> find(Path cache, String pkg) throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      return s.filter(p -> p.getFileName().toString().startsWith(pkg + "_") && p.toString().endsWith(".deb"))
          .findFirst();
    }
  }

  private static void extract(Path deb, Path into) throws IOException {
    HostRequirements.requireBinary("dpkg-deb", "dpkg");
    Files.createDirectories(into);
    CommandRunner.Result r = run(List.of("dpkg-deb", "-x", deb.toString(), into.toString()), null,
        Duration.ofMinutes(2));
    if (r.exitCode() != 0) {
      fail("dpkg-deb -x " + deb + " failed: " + r.stderrText());
    }
  }

  private static Path multiarchDir(Path lib) throws IOException {
    try (Stream<Path> s = Files.list(lib)) {
      return s.filter(p -> p.getFileName().toString().endsWith("-linux-gnu")).findFirst()
          .orElseThrow(() -> new IOException("no <arch>-linux-gnu directory in libc6's /lib"));
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One short-lived runner per call: these run a handful of times per test JVM. */
  private static CommandRunner.Result run(List<String> cmd, byte[] stdin, Duration timeout) throws IOException {
    try (CommandRunner runner = new CommandRunner()) {
      return runner.run(cmd, java.util.Map.of(), stdin, timeout);
    }
  }
}
