package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Layers as written: names, types, owners and sizes read back with commons-compress. */
class LayerBuilderTest {
  private Path dir;
  private BlobStore store;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("berth-layer-test-");
    store = new BlobStore(dir.resolve("store"));
  }

  @AfterEach
  void tearDown() throws Exception {
    TempDirs.deleteRecursively(dir);
  }

  @Test
  void hostileEntriesAreWrittenExactlyAsAsked() throws Exception {
    BuiltImage img = new ImageBuilder(store).layer(new LayerBuilder()
        .keepOrder()
        .raw(LayerEntry.file("../escape.txt", "out of the snapshot"))
        .raw(LayerEntry.file("a/../../up.txt", "through a parent"))
        .raw(LayerEntry.file("/etc/absolute.txt", "absolute"))
        .raw(LayerEntry.symlink("evil", "/etc"))
        .raw(LayerEntry.file("evil/passwd", "written through the symlink"))
        .raw(LayerEntry.symlink("relative-out", "../../../../../../root"))
        .raw(LayerEntry.hardlink("hard-out", "/etc/shadow"))
        .raw(LayerEntry.hardlink("hard-up", "../outside"))
        .raw(LayerEntry.file("dup", "first"))
        .raw(LayerEntry.file("dup", "second"))
        .raw(LayerEntry.charDevice("dev/kmsg", 0600, 1, 11))
        .raw(LayerEntry.blockDevice("dev/sda", 0660, 8, 0))
        .raw(LayerEntry.fifo("pipe", 0644))
        .raw(LayerEntry.file("setuid", 04755, LayerEntry.Content.of(new byte[] {1})).withOwner(0, 0)))
        .build();

    List<TarArchiveEntry> entries = readEntries(img.layers().get(0));
    List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();
    assertEquals(List.of("../escape.txt", "a/../../up.txt", "/etc/absolute.txt", "evil", "evil/passwd",
        "relative-out", "hard-out", "hard-up", "dup", "dup", "dev/kmsg", "dev/sda", "pipe", "setuid"), names);
    assertTrue(entries.get(3).isSymbolicLink());
    assertEquals("/etc", entries.get(3).getLinkName());
    assertEquals("../../../../../../root", entries.get(5).getLinkName());
    assertTrue(entries.get(6).isLink());
    assertEquals("/etc/shadow", entries.get(6).getLinkName());
    assertEquals("../outside", entries.get(7).getLinkName());
    assertTrue(entries.get(10).isCharacterDevice());
    assertEquals(1, entries.get(10).getDevMajor());
    assertEquals(11, entries.get(10).getDevMinor());
    assertTrue(entries.get(11).isBlockDevice());
    assertTrue(entries.get(12).isFIFO());
    assertEquals(04755, entries.get(13).getMode() & 07777);
  }

  @Test
  void ordinaryPathsRefuseDotDotAndGetParents() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> new LayerBuilder().file("../x", "no"));
    assertThrows(IllegalArgumentException.class, () -> new LayerBuilder().file("a/../../x", "no"));
    List<LayerEntry> entries = new LayerBuilder().file("/usr/local/bin/tool", "x").file("/etc/motd", "hi").entries();
    assertEquals(List.of("etc", "etc/motd", "usr", "usr/local", "usr/local/bin", "usr/local/bin/tool"),
        entries.stream().map(LayerEntry::name).toList());
    assertEquals(LayerEntry.Type.DIRECTORY, entries.get(0).type());
  }

  @Test
  void decompressionBombIsSmallCompressedAndHugeDeclared() throws Exception {
    long size = 256L << 20;
    Layer layer = new ImageBuilder(store).layer(new LayerBuilder().zeros("/bomb", size)).build().layers().get(0);
    assertTrue(layer.size() < size / 500, "gzip of zeros: " + layer.size() + " bytes");
    List<TarArchiveEntry> entries = readEntries(layer);
    assertEquals("bomb", entries.get(0).getName());
    assertEquals(size, entries.get(0).getSize());
  }

  @Test
  void sameEntriesGiveTheSameDigests() throws Exception {
    java.util.function.Supplier<LayerBuilder> layer = () -> new LayerBuilder()
        .file("/" + "long-name-".repeat(20) + "/x", "needs a PAX path header")
        .entry(LayerEntry.file("xattr", "x").withXattr("user.test", "value"))
        .symlink("/bin/sh", "busybox");
    BuiltImage a = new ImageBuilder(store).layer(layer.get()).cmd("sh").build();
    BuiltImage b = new ImageBuilder(new BlobStore(dir.resolve("other"))).layer(layer.get()).cmd("sh").build();
    assertEquals(a.ociManifest().digest(), b.ociManifest().digest());
    assertEquals(a.layers(), b.layers());
    TarArchiveEntry xattr = readEntries(a.layers().get(0)).stream().filter(e -> e.getName().equals("xattr")).findFirst().orElseThrow();
    assertEquals("value", xattr.getExtraPaxHeader("SCHILY.xattr.user.test"));
    for (TarArchiveEntry e : readEntries(a.layers().get(0))) {
      assertEquals(TarLayerWriter.MTIME.toMillis(), e.getModTime().getTime(), e.getName());
      assertEquals("", e.getUserName());
      assertEquals(0, e.getLongUserId());
    }
    // PAX header blocks carry an mtime too: it must be the fixed one, not the clock's.
    byte[] tar = uncompressed(a.layers().get(0));
    int paxHeaders = 0;
    for (int off = 0; off + 512 <= tar.length; off += 512) {
      if (tar[off + 156] == 'x' && tar[off + 257] == 'u') { // typeflag x in a ustar header block
        paxHeaders++;
        String mtime = new String(tar, off + 136, 11, StandardCharsets.US_ASCII);
        assertEquals(Long.toOctalString(TarLayerWriter.MTIME.toMillis() / 1000), mtime.replaceFirst("^0+", ""));
      }
    }
    assertEquals(3, paxHeaders, "the long directory name, the file under it, the xattr");
  }

  @Test
  void hardlinkGroupsPutTheContentOnTheFirstName() throws Exception {
    List<LayerEntry> entries = new LayerBuilder()
        .file("bin/busybox", new byte[] {1, 2, 3}, 0755)
        .hardlink("bin/ash", "bin/busybox")
        .hardlink("usr/bin/wget", "bin/busybox")
        .entries();
    LayerEntry ash = entries.stream().filter(e -> e.name().equals("bin/ash")).findFirst().orElseThrow();
    LayerEntry busybox = entries.stream().filter(e -> e.name().equals("bin/busybox")).findFirst().orElseThrow();
    LayerEntry wget = entries.stream().filter(e -> e.name().equals("usr/bin/wget")).findFirst().orElseThrow();
    assertEquals(LayerEntry.Type.FILE, ash.type());
    assertEquals(0755, ash.mode());
    assertEquals("bin/ash", busybox.linkTarget());
    assertEquals("bin/ash", wget.linkTarget());
    assertThrows(IllegalStateException.class, () -> new LayerBuilder().hardlink("a", "missing").entries());
  }

  @Test
  void directoryLayerKeepsHardlinksSymlinksAndModes() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/sub"));
    Files.writeString(src.resolve("f"), "content");
    Files.createLink(src.resolve("g"), src.resolve("f"));
    Files.createSymbolicLink(src.resolve("link"), Path.of("../f"));
    Files.setPosixFilePermissions(src.resolve("f"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    List<LayerEntry> entries = new LayerBuilder().fromDirectory(dir.resolve("src")).entries();
    assertEquals(List.of("sub", "sub/f", "sub/g", "sub/link"), entries.stream().map(LayerEntry::name).toList());
    assertEquals(0750, entries.get(1).mode());
    assertEquals(LayerEntry.Type.HARDLINK, entries.get(2).type());
    assertEquals("sub/f", entries.get(2).linkTarget());
    assertEquals("../f", entries.get(3).linkTarget());
  }

  @Test
  void whiteoutsAndOpaqueDirectories() throws Exception {
    List<String> names = new LayerBuilder().whiteout("/etc/motd").opaqueWhiteout("/var/cache").whiteout("top")
        .entries().stream().map(LayerEntry::name).toList();
    assertTrue(names.containsAll(List.of("etc/.wh.motd", "var/cache/.wh..wh..opq", ".wh.top")), names.toString());
  }

  @Test
  void zstdAndUncompressedLayersAndTheirManifests() throws Exception {
    BuiltImage zstd = new ImageBuilder(store).layer(new LayerBuilder().file("a", "zstd").compression(Compression.ZSTD)).build();
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, zstd.ociManifest().json().path("layers").get(0).path("mediaType").asText());
    assertTrue(zstd.dockerManifest().isEmpty(), "Docker schema 2 has no zstd media type");
    assertEquals("a", readEntries(zstd.layers().get(0)).get(0).getName());

    BuiltImage plain = new ImageBuilder(store).layer(new LayerBuilder().file("a", "tar").compression(Compression.NONE)).build();
    Layer l = plain.layers().get(0);
    assertEquals(l.digest(), l.diffId());
    assertEquals(MediaTypes.DOCKER_LAYER_TAR,
        plain.dockerManifest().orElseThrow().json().path("layers").get(0).path("mediaType").asText());
  }

  @Test
  void rawTarLayerKeepsBytesAsGiven() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry e = new TarArchiveEntry("big");
      e.setSize(1 << 20);
      tar.putArchiveEntry(e);
      tar.write(new byte[1000]);
      tar.flush();
      byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), 512 + 1000);
      Layer l = new ImageBuilder(store).rawLayer(truncated, Compression.GZIP).build().layers().get(0);
      assertArrayEquals(truncated, uncompressed(l));
      assertEquals(Digest.of(truncated), l.diffId());
    } catch (java.io.IOException expectedOnClose) {
      // closing a tar stream with a short entry complains; the truncated bytes were taken before
    }
  }

  @Test
  void configCarriesEveryField() throws Exception {
    BuiltImage img = new ImageBuilder(store)
        .layer(l -> l.file("x", "y"))
        .entrypoint("/bin/sh", "-c").cmd("echo hi").env("A=1", "B=2").user("1000:1000").workingDir("/work")
        .label("k", "v").stopSignal("SIGQUIT").exposedPort("80/tcp").volume("/data")
        .build();
    var c = img.config().path("config");
    assertEquals("[\"/bin/sh\",\"-c\"]", c.path("Entrypoint").toString());
    assertEquals("[\"echo hi\"]", c.path("Cmd").toString());
    assertEquals("[\"A=1\",\"B=2\"]", c.path("Env").toString());
    assertEquals("1000:1000", c.path("User").asText());
    assertEquals("/work", c.path("WorkingDir").asText());
    assertEquals("v", c.path("Labels").path("k").asText());
    assertEquals("SIGQUIT", c.path("StopSignal").asText());
    assertTrue(c.path("ExposedPorts").has("80/tcp"));
    assertTrue(c.path("Volumes").has("/data"));
    assertEquals(img.layers().get(0).diffId().toString(), img.config().path("rootfs").path("diff_ids").get(0).asText());
    assertEquals(img.configDigest(), Digest.of(img.configJson()));
    assertFalse(img.config().has("variant"));
  }

  private byte[] uncompressed(Layer l) throws Exception {
    try (InputStream in = decompress(l)) {
      return in.readAllBytes();
    }
  }

  private InputStream decompress(Layer l) throws Exception {
    InputStream raw = new BufferedInputStream(Files.newInputStream(store.path(l.digest())));
    return switch (l.compression()) {
      case GZIP -> new GZIPInputStream(raw);
      case ZSTD -> new ZstdInputStream(raw);
      case NONE -> raw;
    };
  }

  private List<TarArchiveEntry> readEntries(Layer l) throws Exception {
    List<TarArchiveEntry> out = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompress(l))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        out.add(e);
      }
    }
    return out;
  }
}
