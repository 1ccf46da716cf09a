package io.berth.server.image.unpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.os.Linux;
import io.berth.os.PosixFiles;
import io.berth.server.image.TestTar;
import io.berth.server.image.reference.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacking into a real directory: attributes kept, whiteouts converted, and every hostile layer
 * confined or refused with the host (a sibling "host" dir standing for /) untouched. Needs root
 * (chown, mknod, trusted.* xattrs).
 */
class LayerUnpackerTest {
  private static final Linux LINUX = Linux.load();
  private static final PosixFiles FILES = PosixFiles.load();

  @TempDir Path tmp;
  Path snapshot;
  Path host;
  LayerUnpacker unpacker;

  @BeforeAll
  static void needsRoot() {
    assertTrue(LINUX.isRoot(), "LayerUnpackerTest needs root (chown, mknod, trusted.* xattrs): run the tests as root");
  }

  @BeforeEach
  void dirs() throws IOException {
    snapshot = Files.createDirectory(tmp.resolve("snapshot"));
    host = Files.createDirectory(tmp.resolve("host"));
    Files.writeString(host.resolve("passwd"), "host secret\n");
    unpacker = new LayerUnpacker(LINUX, FILES, UnpackLimits.DEFAULT);
  }

  private UnpackResult unpack(byte[] blob) throws IOException {
    return unpacker.unpack(new ByteArrayInputStream(blob), snapshot);
  }

  private Map<String, Object> unix(Path p) throws IOException {
    return Files.readAttributes(p, "unix:mode,uid,gid,rdev,nlink,ino", LinkOption.NOFOLLOW_LINKS);
  }

  private void assertHostUntouched() throws IOException {
    try (var s = Files.list(host)) {
      assertEquals(1, s.count(), "the host dir gained entries");
    }
    assertEquals("host secret\n", Files.readString(host.resolve("passwd")));
  }

  @Test
  void keepsOwnersModesTimesLinksDevicesAndXattrs() throws IOException {
    // security.capability v2 with cap_setuid (bit 7): 0x80 is not valid UTF-8 on its own, so this
    // proves xattr values are kept as bytes.
    byte[] cap = {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    TestTar t = new TestTar()
        .dir("usr/", 0755)
        .dir("usr/bin/", 0755)
        .file("usr/bin/su", "su".getBytes(StandardCharsets.UTF_8), 04755, 0, 0)
        .file("home/berth/notes", "hi".getBytes(StandardCharsets.UTF_8), 0600, 1000, 1000)
        .dir("tmp/", 01777)
        .symlink("usr/bin/sh", "/bin/busybox")
        .hardlink("usr/bin/su2", "usr/bin/su")
        .charDevice("dev/null", 0666, 1, 3)
        .blockDevice("dev/loop9", 0660, 7, 9)
        .fifo("run/fifo", 0600)
        .fileWithXattrs("usr/bin/ping", "ping", Map.of("security.capability", cap,
            "user.origin", "test".getBytes(StandardCharsets.UTF_8)));
    UnpackResult r = unpack(t.gzip());

    Path su = snapshot.resolve("usr/bin/su");
    assertEquals(0104755, (int) unix(su).get("mode"));
    assertEquals(FileTime.fromMillis(TestTar.MTIME * 1000), Files.getLastModifiedTime(su));
    Path notes = snapshot.resolve("home/berth/notes");
    assertEquals(1000, unix(notes).get("uid"));
    assertEquals(1000, unix(notes).get("gid"));
    assertEquals(0100600, (int) unix(notes).get("mode"));
    assertEquals(041777, (int) unix(snapshot.resolve("tmp")).get("mode"));
    assertEquals(FileTime.fromMillis(TestTar.MTIME * 1000), Files.getLastModifiedTime(snapshot.resolve("usr/bin")),
        "directory mtimes are set after their children are written");
    assertEquals("/bin/busybox", Files.readSymbolicLink(snapshot.resolve("usr/bin/sh")).toString());
    assertEquals(unix(su).get("ino"), unix(snapshot.resolve("usr/bin/su2")).get("ino"));
    assertEquals(2, unix(su).get("nlink"));
    Map<String, Object> dev = unix(snapshot.resolve("dev/null"));
    assertEquals(0020666, (int) dev.get("mode"));
    assertEquals(LayerUnpacker.makedev(1, 3), (long) dev.get("rdev"));
    assertEquals(0060660, (int) unix(snapshot.resolve("dev/loop9")).get("mode"));
    assertEquals(0010600, (int) unix(snapshot.resolve("run/fifo")).get("mode"));
    assertArrayEquals(cap, LINUX.getXattr(snapshot.resolve("usr/bin/ping").toString(), "security.capability"));
    assertArrayEquals("test".getBytes(StandardCharsets.UTF_8),
        LINUX.getXattr(snapshot.resolve("usr/bin/ping").toString(), "user.origin"));
    assertEquals(0755, (int) unix(snapshot.resolve("home")).get("mode") & 07777, "implicit parents are 0755");
    assertEquals(Digest.sha256(t.bytes()), r.diffId(), "the diff id is the digest of the uncompressed tar");
    assertEquals(2 + 2 + 4, r.fileBytes());
  }

  @Test
  void readsGzipZstdAndPlainTarsAlike() throws IOException {
    TestTar t = new TestTar().file("a", "alpha").file("b/c", "gamma");
    for (byte[] blob : new byte[][] {t.bytes(), t.gzip(), t.zstd()}) {
      Path dir = Files.createTempDirectory(tmp, "s");
      UnpackResult r = unpacker.unpack(new ByteArrayInputStream(blob), dir);
      assertEquals("alpha", Files.readString(dir.resolve("a")));
      assertEquals("gamma", Files.readString(dir.resolve("b/c")));
      assertEquals(Digest.sha256(t.bytes()), r.diffId());
    }
  }

  @Test
  void longNamesThroughPax() throws IOException {
    String deep = "d/".repeat(80) + "file-with-a-long-name";
    unpack(new TestTar().file(deep, "deep").gzip());
    assertEquals("deep", Files.readString(snapshot.resolve(deep)));
  }

  @Test
  void nonAsciiNamesAreUtf8() throws IOException {
    unpack(new TestTar().file("donn\u00e9es/\u65e5\u672c.txt", "utf-8").gzip());
    assertEquals("utf-8", Files.readString(snapshot.resolve("donn\u00e9es").resolve("\u65e5\u672c.txt")));
  }

  @Test
  void whiteoutsBecomeOverlayWhiteouts() throws IOException {
    unpack(new TestTar().dir("etc/", 0755).file("etc/.wh.motd", "").file("var/cache/.wh..wh..opq", "")
        .file("var/cache/new", "kept").file(".wh..wh.plnk", "").gzip());
    Map<String, Object> wh = unix(snapshot.resolve("etc/motd"));
    assertEquals(0020000, (int) wh.get("mode") & 0170000, "a whiteout is a character device");
    assertEquals(0L, (long) wh.get("rdev"), "with device number 0:0");
    assertFalse(Files.exists(snapshot.resolve("etc/.wh.motd"), LinkOption.NOFOLLOW_LINKS));
    assertArrayEquals("y".getBytes(StandardCharsets.US_ASCII),
        LINUX.getXattr(snapshot.resolve("var/cache").toString(), "trusted.overlay.opaque"));
    assertFalse(Files.exists(snapshot.resolve("var/cache/.wh..wh..opq"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("kept", Files.readString(snapshot.resolve("var/cache/new")));
    assertFalse(Files.exists(snapshot.resolve(".wh..wh.plnk"), LinkOption.NOFOLLOW_LINKS), "AUFS metadata is dropped");
  }

  @Test
  void snapshotsWorkAsOverlayLowerDirs() throws IOException {
    Path lower = Files.createDirectory(tmp.resolve("lower"));
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    Path merged = Files.createDirectory(tmp.resolve("merged"));
    unpacker.unpack(new ByteArrayInputStream(new TestTar().file("etc/motd", "old").file("etc/keep", "k")
        .file("cache/a", "a").file("cache/b", "b").gzip()), lower);
    unpacker.unpack(new ByteArrayInputStream(new TestTar().file("etc/.wh.motd", "")
        .file("cache/.wh..wh..opq", "").file("cache/c", "c").gzip()), upper);
    LINUX.mount("overlay", merged.toString(), "overlay", Linux.MS_RDONLY, "lowerdir=" + upper + ":" + lower);
    try {
      assertFalse(Files.exists(merged.resolve("etc/motd")), "the whiteout hides the lower file");
      assertEquals("k", Files.readString(merged.resolve("etc/keep")));
      try (var s = Files.list(merged.resolve("cache"))) {
        assertEquals(java.util.List.of("c"), s.map(p -> p.getFileName().toString()).sorted().toList(),
            "the opaque directory hides the lower directory's entries");
      }
    } finally {
      LINUX.unmountIfMounted(merged.toString());
    }
  }

  @Test
  void dotDotEscapeIsRefused() {
    LayerFormatException e = assertThrows(LayerFormatException.class,
        () -> unpack(new TestTar().file("../host/pwned", "x").gzip()));
    assertTrue(e.getMessage().contains("../host/pwned") && e.getMessage().contains("escapes"), e.getMessage());
    assertFalse(Files.exists(host.resolve("pwned")));
  }

  @Test
  void dotDotInsideTheLayerIsFine() throws IOException {
    unpack(new TestTar().file("a/b/../c", "c").gzip());
    assertEquals("c", Files.readString(snapshot.resolve("a/c")));
  }

  @Test
  void absolutePathsAreConfinedToTheSnapshot() throws IOException {
    unpack(new TestTar().file(host.resolve("pwned").toString(), "x").gzip());
    assertTrue(Files.exists(snapshot.resolve(host.toString().substring(1)).resolve("pwned")));
    assertHostUntouched();
  }

  @Test
  void symlinkToAnAbsoluteDirectoryIsFollowedInsideTheSnapshot() throws IOException {
    unpack(new TestTar().symlink("evil", host.toString()).file("evil/pwned", "x")
        .file("evil/passwd", "overwritten").gzip());
    Path confined = snapshot.resolve(host.toString().substring(1));
    assertEquals("x", Files.readString(confined.resolve("pwned")));
    assertEquals("overwritten", Files.readString(confined.resolve("passwd")));
    assertHostUntouched();
  }

  @Test
  void relativeSymlinkClimbingOutStopsAtTheSnapshotRoot() throws IOException {
    unpack(new TestTar().dir("a/", 0755).symlink("a/up", "../../../../../../..").file("a/up/pwned", "x")
        .symlink("b", "a/up/" + tmp.relativize(host)).gzip());
    assertEquals("x", Files.readString(snapshot.resolve("pwned")));
    assertHostUntouched();
  }

  @Test
  void symlinkLoopIsRefused() {
    LayerFormatException e = assertThrows(LayerFormatException.class,
        () -> unpack(new TestTar().symlink("a", "b").symlink("b", "a").file("a/x", "x").gzip()));
    assertTrue(e.getMessage().contains("too many symlinks"), e.getMessage());
  }

  @Test
  void fileReplacingAPlantedSymlinkDoesNotWriteThroughIt() throws IOException {
    Path target = host.resolve("passwd");
    unpack(new TestTar().symlink("etc-passwd", target.toString()).file("etc-passwd", "replaced").gzip());
    assertFalse(Files.isSymbolicLink(snapshot.resolve("etc-passwd")));
    assertEquals("replaced", Files.readString(snapshot.resolve("etc-passwd")));
    assertHostUntouched();
  }

  @Test
  void hardlinkToAHostFileIsRefused() {
    LayerFormatException e = assertThrows(LayerFormatException.class,
        () -> unpack(new TestTar().hardlink("stolen", host.resolve("passwd").toString()).gzip()));
    assertTrue(e.getMessage().contains("stolen"), e.getMessage());
    LayerFormatException up = assertThrows(LayerFormatException.class,
        () -> unpack(new TestTar().hardlink("stolen2", "../host/passwd").gzip()));
    assertTrue(up.getMessage().contains("escapes"), up.getMessage());
  }

  @Test
  void hardlinkThroughASymlinkStaysInside() throws IOException {
    LayerFormatException e = assertThrows(LayerFormatException.class,
        () -> unpack(new TestTar().symlink("h", host.toString()).hardlink("stolen", "h/passwd").gzip()));
    assertTrue(e.getMessage().contains("not an earlier entry"), e.getMessage());
    assertEquals(1, (int) unix(host.resolve("passwd")).get("nlink"), "no link to the host file was made");
  }

  @Test
  void hardlinkToASymlinkLinksTheSymlinkItself() throws IOException {
    unpack(new TestTar().symlink("s", host.resolve("passwd").toString()).hardlink("h", "s").gzip());
    assertTrue(Files.isSymbolicLink(snapshot.resolve("h")));
    assertEquals(1, (int) unix(host.resolve("passwd")).get("nlink"));
  }

  @Test
  void whiteoutThroughASymlinkStaysInside() throws IOException {
    unpack(new TestTar().symlink("d", host.toString()).file("d/.wh.passwd", "").gzip());
    assertHostUntouched();
    Map<String, Object> wh = unix(snapshot.resolve(host.toString().substring(1)).resolve("passwd"));
    assertEquals(0020000, (int) wh.get("mode") & 0170000);
  }

  @Test
  void overlayXattrsFromTheLayerAreDropped() throws IOException {
    unpack(new TestTar().fileWithXattrs("f", "f", Map.of("trusted.overlay.redirect",
        "/elsewhere".getBytes(StandardCharsets.UTF_8))).gzip());
    assertEquals(null, LINUX.getXattr(snapshot.resolve("f").toString(), "trusted.overlay.redirect"));
  }

  @Test
  void decompressionBombIsStoppedBySizeLimit() throws IOException {
    LayerUnpacker limited = new LayerUnpacker(LINUX, FILES, new UnpackLimits(64L << 20, 0));
    // 1 GiB of zeros, gzip-compressed while it is read: about 1 MiB on the wire, never in memory.
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream pipe = new PipedOutputStream(in);
    Thread writer = new Thread(() -> {
      try (OutputStream gz = new GZIPOutputStream(pipe, 1 << 16)) {
        new TestTar().zeros("bomb", 1L << 30).writeTo(gz);
      } catch (IOException expected) {
        // the reader stopped
      }
    });
    writer.start();
    try (InputStream blob = in) {
      LayerTooLargeException e = assertThrows(LayerTooLargeException.class, () -> limited.unpack(blob, snapshot));
      assertTrue(e.getMessage().contains("decompression bomb"), e.getMessage());
    }
    assertTrue(Files.size(snapshot.resolve("bomb")) <= 64L << 20);
  }

  @Test
  void notATarIsRefused() {
    LayerFormatException e = assertThrows(LayerFormatException.class,
        () -> unpack("this is not a tar archive at all, just some text".repeat(20).getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void truncatedTarIsRefused() {
    byte[] full = new TestTar().file("a", "x".repeat(5000)).bytes();
    byte[] cut = java.util.Arrays.copyOf(full, 2048);
    assertThrows(IOException.class, () -> unpack(cut));
  }

  @Test
  void replacingADirectoryWithAFileRemovesTheDirectory() throws IOException {
    unpack(new TestTar().file("x/y", "y").file("x", "now a file").gzip());
    assertEquals("now a file", Files.readString(snapshot.resolve("x")));
  }
}
