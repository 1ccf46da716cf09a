package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standard images, unpacked with GNU tar and run with chroot: proves the libraries and hardlinks. */
class StandardImagesIT {
  private static TestImages images;
  private Path dir;

  @BeforeAll
  static void build() {
    HostRequirements.require(HostRequirements.IMAGES);
    HostRequirements.require(HostRequirements.Requirement.ROOT, HostRequirements.Requirement.TAR,
        HostRequirements.Requirement.CHROOT);
    images = TestImages.openDefault();
  }

  @BeforeEach
  void tempDir() throws Exception {
    dir = TempDirs.create("berth-rootfs-");
    // a rootfs' top dir is 0755 (mkdtemp made 0700), so non-root users can run inside it
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void cleanup() throws Exception {
    TempDirs.deleteRecursively(dir);
  }

  @Test
  void busyboxRootfsRunsAppletsThroughHardlinksWithItsOwnGlibc() throws Exception {
    BuiltImage busybox = images.busybox();
    assertEquals(1, busybox.layers().size());
    extract(busybox, dir);

    assertEquals("hi\n", run("chroot", dir.toString(), "/bin/busybox", "echo", "hi"));
    // argv[0] = echo: the hardlink selects the applet, no shell involved
    assertEquals("hi\n", run("chroot", dir.toString(), "/bin/echo", "hi"));
    assertEquals("ok\n", run("chroot", dir.toString(), "/bin/sh", "-c", "test -x /usr/bin/wget && echo ok"));
    assertTrue(run("chroot", "--userspec=1000:1000", dir.toString(), "/usr/bin/id").startsWith("uid=1000(berth) gid=1000(berth)"));
    assertEquals("www-data\n", run("chroot", "--userspec=33:33", dir.toString(), "/usr/bin/whoami"));

    Object inode = Files.getAttribute(dir.resolve("bin/busybox"), "unix:ino");
    List<String> applets = List.of(run("chroot", dir.toString(), "/bin/busybox", "--list-full").split("\n"));
    assertTrue(applets.size() > 250, "applets: " + applets.size());
    for (String applet : applets) {
      Path p = dir.resolve(applet);
      assertFalse(Files.isSymbolicLink(p), applet + " is a hardlink, not a symlink");
      assertEquals(inode, Files.getAttribute(p, "unix:ino"), applet + " is the busybox inode");
    }
    assertEquals(applets.size() + (applets.contains("bin/busybox") ? 0 : 1),
        ((Number) Files.getAttribute(dir.resolve("bin/busybox"), "unix:nlink")).intValue());

    // The libraries busybox loads, at the paths the loader looks for them; the loader symlink as in Debian.
    for (String lib : List.of("lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/libresolv.so.2",
        "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")) {
      assertTrue(Files.isRegularFile(dir.resolve(lib), LinkOption.NOFOLLOW_LINKS), lib);
    }
    assertEquals("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        Files.readSymbolicLink(dir.resolve("lib64/ld-linux-x86-64.so.2")).toString());
    ElfFile elf = ElfFile.read(dir.resolve("bin/busybox"));
    assertFalse(elf.isStatic(), "Debian's dynamic busybox, not busybox-static");

    assertEquals(01777, mode(dir.resolve("tmp")));
    assertEquals(0700, mode(dir.resolve("root")));
    for (String empty : List.of("dev", "proc", "sys")) {
      assertTrue(Files.isDirectory(dir.resolve(empty)) && Files.list(dir.resolve(empty)).findAny().isEmpty(), empty);
    }
    assertEquals(1000, Files.getAttribute(dir.resolve("home/berth"), "unix:uid"));
    String passwd = Files.readString(dir.resolve("etc/passwd"));
    for (String user : List.of("root:x:0:0:", "nobody:x:65534:65534:", "www-data:x:33:33:", "berth:x:1000:1000:")) {
      assertTrue(passwd.contains(user), user);
    }
    String group = Files.readString(dir.resolve("etc/group"));
    for (String g : List.of("root:x:0:", "nobody:x:65534:", "www-data:x:33:", "berth:x:1000:", "users:x:100:berth")) {
      assertTrue(group.contains(g), g);
    }

    JsonNode config = busybox.config();
    assertEquals("amd64", config.path("architecture").asText());
    assertEquals("linux", config.path("os").asText());
    assertEquals("[\"sh\"]", config.path("config").path("Cmd").toString());
    assertEquals("[\"" + TestImages.DEFAULT_PATH + "\"]", config.path("config").path("Env").toString());
    assertEquals(1, config.path("history").size());
    assertEquals(diffIdOf(busybox.layers().get(0)).toString(), config.path("rootfs").path("diff_ids").get(0).asText());
  }

  @Test
  void pauseIsStaticCatatonitWithPauseEntrypointAndUser() throws Exception {
    BuiltImage pause = images.pause();
    extract(pause, dir);
    assertTrue(ElfFile.read(dir.resolve("catatonit")).isStatic());
    assertEquals(0755, mode(dir.resolve("catatonit")));
    JsonNode config = pause.config().path("config");
    assertEquals("[\"/catatonit\",\"-P\"]", config.path("Entrypoint").toString());
    assertEquals("65535:65535", config.path("User").asText());
    assertTrue(config.path("Cmd").isMissingNode());
    // runs inside the rootfs with nothing else in it
    assertTrue(run("chroot", dir.toString(), "/catatonit", "--version").contains("catatonit"));
  }

  @Test
  void cachedImagesAreReadBackIdentically() {
    BuiltImage first = images.busybox();
    assertSame(first, images.busybox(), "one build per TestImages");
    BuiltImage reread = TestImages.open(images.cacheDir()).busybox();
    assertEquals(first.ociManifest().digest(), reread.ociManifest().digest());
    assertEquals(first.dockerManifest().orElseThrow().digest(), reread.dockerManifest().orElseThrow().digest());
    assertEquals(first.layers(), reread.layers());
    assertEquals(first.id(), reread.id());
    assertEquals(first.platform(), reread.platform());
  }

  @Test
  void multiPlatformIndexListsAmd64BusyboxAndArm64() throws Exception {
    for (ManifestFormat format : ManifestFormat.values()) {
      ImageIndex index = images.busyboxIndex(format);
      JsonNode json = index.manifest().json();
      assertEquals(format.indexMediaType(), json.path("mediaType").asText());
      List<String> platforms = new ArrayList<>();
      for (JsonNode m : json.path("manifests")) {
        JsonNode p = m.path("platform");
        platforms.add(p.path("os").asText() + "/" + p.path("architecture").asText()
            + (p.has("variant") ? "/" + p.path("variant").asText() : ""));
        assertEquals(format.manifestMediaType(), m.path("mediaType").asText());
      }
      assertEquals(List.of("linux/amd64", "linux/arm64/v8"), platforms);
      assertEquals(images.busybox().manifest(format).digest().toString(), json.path("manifests").get(0).path("digest").asText());
      assertEquals(images.arm64().manifest(format).digest().toString(), json.path("manifests").get(1).path("digest").asText());
      assertEquals("arm64", images.arm64().config().path("architecture").asText());
      assertTrue(images.blobs().contains(index.manifest().digest()));
    }
  }

  private void extract(BuiltImage image, Path into) throws Exception {
    for (Layer l : image.layers()) {
      run("tar", "--numeric-owner", "-xzpf", images.blobs().path(l.digest()).toString(), "-C", into.toString());
    }
  }

  private Digest diffIdOf(Layer l) throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(images.blobs().path(l.digest())))) {
      return Digest.of(in.readAllBytes());
    }
  }

  private static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private static String run(String... argv) throws Exception {
    Commands.Result r = Commands.run(null, List.of(argv));
    assertEquals(0, r.exitCode(), String.join(" ", argv) + ": " + r.stderr());
    return r.stdout();
  }

}
