package io.berth.server.image;

import static io.berth.server.image.ImageItSupport.assertNoPartialDownloads;
import static io.berth.server.image.ImageItSupport.present;
import static io.berth.server.image.ImageItSupport.pull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.os.Linux;
import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import io.berth.testing.BuiltImage;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.LayerBuilder;
import io.berth.testing.LayerEntry;
import io.berth.testing.ManifestFormat;
import io.berth.testing.RegistryFixture;
import io.berth.testing.RequiresHost;
import io.berth.testing.TestImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile layers pulled through berthd: each one is refused or confined to its snapshot, and a
 * directory standing for the host (with a "passwd" in it) is never touched. Also the layer
 * features that must survive: whiteouts, devices, xattrs.
 */
@ExtendWith(BerthExtension.class)
@RequiresHost({Requirement.ROOT, Requirement.DOCKER_REGISTRY})
class HostileLayerIT {
  private static final Linux LINUX = Linux.load();
  private static final String SECRET = "host secret\n";

  private Path host;

  @BeforeEach
  void hostDir() throws IOException {
    host = Files.createTempDirectory(Path.of("/tmp"), "berth-hostile-");
    Files.writeString(host.resolve("passwd"), SECRET);
  }

  @AfterEach
  void hostUntouched() throws IOException {
    try (Stream<Path> s = Files.list(host)) {
      assertEquals(1, s.count(), "the host dir " + host + " gained entries");
    }
    assertEquals(SECRET, Files.readString(host.resolve("passwd")));
    assertEquals(1, (int) Files.getAttribute(host.resolve("passwd"), "unix:nlink"), "no hardlink to the host file");
    Files.delete(host.resolve("passwd"));
    Files.delete(host);
  }

  /** Builds a one-layer image, pushes it under a fresh name and returns the reference to pull. */
  private static String push(TestImages images, RegistryFixture registry, Consumer<LayerBuilder> layer,
      BuiltImage[] built) throws IOException {
    LayerBuilder lb = new LayerBuilder().keepOrder();
    layer.accept(lb);
    BuiltImage img = images.newImage().layer(lb).build();
    String repo = "hostile-" + System.nanoTime();
    registry.pusher(images.blobs()).pushImage(repo, "v1", img, ManifestFormat.OCI);
    if (built != null) {
      built[0] = img;
    }
    return registry.reference(repo + ":v1");
  }

  private static Path snapshot(BerthdProcess berthd, BuiltImage img) {
    // one layer: its chain id is its diff id
    return berthd.rootDir().resolve("snapshots").resolve(img.layers().get(0).diffId().hex()).resolve("fs");
  }

  private Path confined(Path snapshot) {
    return snapshot.resolve(host.toString().substring(1));
  }

  private static StatusRuntimeException refused(BerthdProcess berthd, String ref) throws IOException {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(berthd, ref));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
    assertFalse(present(berthd, ref));
    assertNoPartialDownloads(berthd);
    return e;
  }

  @Test
  void parentTraversalIsRefused(BerthdProcess berthd, TestImages images, RegistryFixture registry) throws IOException {
    String ref = push(images, registry, l -> l.raw(LayerEntry.file("../../../../.." + host + "/pwned", "x")), null);
    StatusRuntimeException e = refused(berthd, ref);
    assertTrue(e.getStatus().getDescription().contains("escapes the snapshot root"), e.getStatus().getDescription());
    assertTrue(e.getStatus().getDescription().contains(ref), e.getStatus().getDescription());
  }

  @Test
  void absoluteNamesAreConfined(BerthdProcess berthd, TestImages images, RegistryFixture registry) throws IOException {
    BuiltImage[] img = new BuiltImage[1];
    String ref = push(images, registry, l -> l.raw(LayerEntry.file(host + "/pwned", "x")), img);
    pull(berthd, ref);
    assertEquals("x", Files.readString(confined(snapshot(berthd, img[0])).resolve("pwned")));
  }

  @Test
  void writingThroughASymlinkToTheHostIsConfined(BerthdProcess berthd, TestImages images, RegistryFixture registry)
      throws IOException {
    BuiltImage[] img = new BuiltImage[1];
    String ref = push(images, registry, l -> l.raw(LayerEntry.symlink("out", host.toString()))
        .raw(LayerEntry.file("out/passwd", "overwritten\n")).raw(LayerEntry.file("out/new", "new\n")), img);
    pull(berthd, ref);
    Path snap = snapshot(berthd, img[0]);
    assertEquals(host.toString(), Files.readSymbolicLink(snap.resolve("out")).toString(), "the link is kept as is");
    assertEquals("overwritten\n", Files.readString(confined(snap).resolve("passwd")));
  }

  @Test
  void aRelativeSymlinkClimbingOutStopsAtTheSnapshotRoot(BerthdProcess berthd, TestImages images,
      RegistryFixture registry) throws IOException {
    BuiltImage[] img = new BuiltImage[1];
    String ref = push(images, registry, l -> l.raw(LayerEntry.directory("a", 0755))
        .raw(LayerEntry.symlink("a/up", "../../../../../../../../../..")).raw(LayerEntry.file("a/up" + host + "/pwned", "x")),
        img);
    pull(berthd, ref);
    assertEquals("x", Files.readString(confined(snapshot(berthd, img[0])).resolve("pwned")));
  }

  @Test
  void hardlinksToHostFilesAreRefused(BerthdProcess berthd, TestImages images, RegistryFixture registry)
      throws IOException {
    StatusRuntimeException direct = refused(berthd, push(images, registry,
        l -> l.raw(LayerEntry.hardlink("stolen", host + "/passwd")), null));
    assertTrue(direct.getStatus().getDescription().contains("stolen"), direct.getStatus().getDescription());
    refused(berthd, push(images, registry, l -> l.raw(LayerEntry.symlink("s", host.toString()))
        .raw(LayerEntry.hardlink("stolen", "s/passwd")), null));
    refused(berthd, push(images, registry, l -> l.raw(LayerEntry.hardlink("stolen", "../../../../../../.." + host + "/passwd")), null));
  }

  @Test
  void aFileReplacingAPlantedSymlinkDoesNotWriteThroughIt(BerthdProcess berthd, TestImages images,
      RegistryFixture registry) throws IOException {
    BuiltImage[] img = new BuiltImage[1];
    String ref = push(images, registry, l -> l.raw(LayerEntry.symlink("p", host + "/passwd"))
        .raw(LayerEntry.file("p", "replaced\n")), img);
    pull(berthd, ref);
    Path p = snapshot(berthd, img[0]).resolve("p");
    assertFalse(Files.isSymbolicLink(p));
    assertEquals("replaced\n", Files.readString(p));
  }

  @Test
  void aDecompressionBombIsStoppedBySizeLimit(TestImages images, RegistryFixture registry) throws IOException {
    String ref = push(images, registry, l -> l.zeros("/bomb", 1L << 30), null);
    try (BerthdProcess berthd = BerthdProcess.builder().registry(registry).logLevel("info")
        .extraToml("[registry]\nmax_layer_size = \"128Mi\"").start()) {
      StatusRuntimeException e = refused(berthd, ref);
      assertTrue(e.getStatus().getDescription().contains("decompression bomb"), e.getStatus().getDescription());
      try (Stream<Path> s = Files.list(berthd.rootDir().resolve("snapshots"))) {
        assertEquals(1, s.count(), "no snapshot kept, only the ingest dir");
      }
    }
  }

  @Test
  void whiteoutsDevicesAndXattrsSurvive(BerthdProcess berthd, TestImages images, RegistryFixture registry)
      throws IOException {
    BuiltImage[] img = new BuiltImage[1];
    String ref = push(images, registry, l -> l.whiteout("/etc/motd").opaqueWhiteout("/var/cache")
        .raw(LayerEntry.charDevice("dev/kmsg", 0600, 1, 11).withXattr("user.k", "v")) // the kernel refuses: skipped
        .raw(LayerEntry.file("etc/tagged", "t\n").withXattr("user.k", "v"))
        .raw(LayerEntry.fifo("run/fifo", 0620)).directory("/srv", 0750, 1000, 100), img);
    pull(berthd, ref);
    Path snap = snapshot(berthd, img[0]);
    Map<String, Object> wh = Files.readAttributes(snap.resolve("etc/motd"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertEquals(0020000, (int) wh.get("mode") & 0170000, "whiteout: a character device");
    assertEquals(0L, (long) wh.get("rdev"), "0:0");
    assertArrayEquals("y".getBytes(StandardCharsets.US_ASCII), LINUX.getXattr(snap.resolve("var/cache").toString(),
        "trusted.overlay.opaque"));
    Map<String, Object> kmsg = Files.readAttributes(snap.resolve("dev/kmsg"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertEquals(0020600, (int) kmsg.get("mode"));
    assertEquals((1L << 8) | 11, (long) kmsg.get("rdev"));
    assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), LINUX.getXattr(snap.resolve("etc/tagged").toString(), "user.k"));
    assertEquals(0010620, (int) Files.getAttribute(snap.resolve("run/fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
    Map<String, Object> srv = Files.readAttributes(snap.resolve("srv"), "unix:mode,uid,gid");
    assertEquals(040750, (int) srv.get("mode"));
    assertEquals(1000, srv.get("uid"));
    assertEquals(100, srv.get("gid"));
  }
}
