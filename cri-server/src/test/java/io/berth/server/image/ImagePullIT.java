package io.berth.server.image;

import static io.berth.server.image.ImageItSupport.assertNoPartialDownloads;
import static io.berth.server.image.ImageItSupport.blobGets;
import static io.berth.server.image.ImageItSupport.present;
import static io.berth.server.image.ImageItSupport.pull;
import static io.berth.server.image.ImageItSupport.registryBlobFile;
import static io.berth.server.image.ImageItSupport.remove;
import static io.berth.server.image.ImageItSupport.spec;
import static io.berth.server.image.ImageItSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.Image;
import io.berth.cri.v1.ImageFilter;
import io.berth.cri.v1.ImageFsInfoRequest;
import io.berth.cri.v1.ImageStatusRequest;
import io.berth.cri.v1.ListImagesRequest;
import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdConfig;
import io.berth.testing.BerthdProcess;
import io.berth.testing.BuiltImage;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.ManifestFormat;
import io.berth.testing.PushedImages;
import io.berth.testing.RegistryFixture;
import io.berth.testing.RequiresHost;
import io.berth.testing.TestImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PullImage, ImageStatus, ListImages, RemoveImage and ImageFsInfo through berthd's socket, against
 * Debian's docker-registry on loopback, mirrored for docker.io, registry.k8s.io and gcr.io.
 */
@ExtendWith(BerthExtension.class)
@BerthdConfig(perMethod = true)
@RequiresHost({Requirement.ROOT, Requirement.DOCKER_REGISTRY})
class ImagePullIT {

  @Test
  void pullsDockerSchema2AndOciManifestsOfTheSameImage(BerthdProcess berthd, PushedImages pushed) throws IOException {
    String id = pull(berthd, "busybox");
    assertEquals(pushed.busybox().id(), id, "PullImage returns the image id, the config digest");
    assertEquals(id, pull(berthd, PushedImages.BUSYBOX_OCI), "the OCI manifest of the same image has the same id");
    Image image = status(berthd, "busybox");
    assertEquals(id, image.getId());
    assertEquals(List.of(PushedImages.BUSYBOX, PushedImages.BUSYBOX_OCI), image.getRepoTagsList());
    assertEquals(List.of("docker.io/library/busybox@" + pushed.busybox().manifest(ManifestFormat.DOCKER).digest(),
        "docker.io/library/busybox@" + pushed.busybox().manifest(ManifestFormat.OCI).digest()),
        image.getRepoDigestsList());
    assertTrue(image.getSize() > 1_000_000, "busybox and glibc: " + image.getSize());
    assertFalse(image.hasUid(), "busybox's config names no user");
    assertFalse(image.getPinned());

    // The busybox layer unpacked with its hardlinked applets, ready for overlayfs.
    Path busybox = findInSnapshots(berthd, "bin/busybox");
    assertTrue((int) Files.getAttribute(busybox, "unix:nlink") > 100, "applets are hardlinks of /bin/busybox");
    assertTrue(Files.isSymbolicLink(findInSnapshots(berthd, "lib64/ld-linux-x86-64.so.2")));
    assertEquals(01777, (int) Files.getAttribute(findInSnapshots(berthd, "tmp"), "unix:mode") & 07777);
    assertNoPartialDownloads(berthd);
  }

  private static Path findInSnapshots(BerthdProcess berthd, String relative) throws IOException {
    try (Stream<Path> s = Files.list(berthd.rootDir().resolve("snapshots"))) {
      return s.map(d -> d.resolve("fs").resolve(relative))
          .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).findFirst()
          .orElseThrow(() -> new AssertionError(relative + " is in no snapshot"));
    }
  }

  @Test
  void multiPlatformIndexAndManifestListResolveToLinuxAmd64(BerthdProcess berthd, PushedImages pushed) {
    assertEquals(pushed.busybox().id(), pull(berthd, PushedImages.BUSYBOX_MULTI));
    assertEquals(pushed.busybox().id(), pull(berthd, PushedImages.BUSYBOX_LIST));
    assertEquals(List.of("docker.io/library/busybox@" + pushed.busyboxOciIndex().manifest().digest(),
        "docker.io/library/busybox@" + pushed.busyboxDockerList().manifest().digest()),
        status(berthd, PushedImages.BUSYBOX_MULTI).getRepoDigestsList(), "repo digests are the index digests");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> pull(berthd, PushedImages.BUSYBOX_ARM64_ONLY));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("linux/arm64/v8")
        && e.getStatus().getDescription().contains(PushedImages.BUSYBOX_ARM64_ONLY), e.getStatus().getDescription());
  }

  @Test
  void theSandboxImageIsPinnedUnderEveryName(BerthdProcess berthd, PushedImages pushed) {
    String id = pull(berthd, PushedImages.SANDBOX_IMAGE);
    assertEquals(pushed.pause().id(), id);
    Image pause = status(berthd, PushedImages.SANDBOX_IMAGE);
    assertTrue(pause.getPinned());
    assertEquals(65535, pause.getUid().getValue());
    assertEquals(id, pull(berthd, "gcr.io/google-containers/pause:3.10"));
    assertTrue(status(berthd, "gcr.io/google-containers/pause:3.10").getPinned());
  }

  @Test
  void directLoopbackReferencesUsePlainHttp(BerthdProcess berthd, PushedImages pushed) {
    String ref = pushed.direct("busybox:oci");
    assertEquals(pushed.busybox().id(), pull(berthd, ref));
    assertEquals(List.of(ref), status(berthd, ref).getRepoTagsList());
  }

  @Test
  void statusVerboseListFilterAndFsInfo(BerthdProcess berthd, PushedImages pushed) {
    pull(berthd, "busybox");
    pull(berthd, PushedImages.SANDBOX_IMAGE);
    var verbose = berthd.images().imageStatus(ImageStatusRequest.newBuilder().setImage(spec("busybox"))
        .setVerbose(true).build());
    String info = verbose.getInfoMap().get("info");
    assertTrue(info.contains("\"imageSpec\"") && info.contains("\"Cmd\":[\"sh\"]") && info.contains("\"diff_ids\""), info);
    assertEquals(2, berthd.images().listImages(ListImagesRequest.getDefaultInstance()).getImagesCount());
    var filtered = berthd.images().listImages(ListImagesRequest.newBuilder()
        .setFilter(ImageFilter.newBuilder().setImage(spec(PushedImages.SANDBOX_IMAGE))).build());
    assertEquals(List.of(pushed.pause().id()), filtered.getImagesList().stream().map(Image::getId).toList());
    var fs = berthd.images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystems(0);
    assertTrue(fs.getUsedBytes().getValue() > 1_000_000, fs.toString());
    assertTrue(fs.getInodesUsed().getValue() > 20, fs.toString()); // applets are hardlinks: few inodes
    assertTrue(fs.getFsId().getMountpoint().startsWith(berthd.rootDir().toString()), fs.toString());
    assertTrue(fs.getTimestamp() > 0);
  }

  @Test
  void removeByTagRemovesEveryTagAndUnusedContent(BerthdProcess berthd, PushedImages pushed) throws IOException {
    String id = pull(berthd, "busybox");
    pull(berthd, PushedImages.BUSYBOX_OCI);
    pull(berthd, PushedImages.SANDBOX_IMAGE);
    long snapshotsBefore = ImageItSupport.count(berthd.rootDir().resolve("snapshots"));
    remove(berthd, PushedImages.BUSYBOX_OCI);
    assertFalse(present(berthd, "busybox") || present(berthd, id), "every tag of the image is gone");
    assertEquals(snapshotsBefore - pushed.busybox().layers().size(),
        ImageItSupport.count(berthd.rootDir().resolve("snapshots")), "busybox's snapshots are collected");
    assertFalse(Files.exists(berthd.rootDir().resolve("content/sha256")
        .resolve(pushed.busybox().layers().get(0).digest().hex())), "and its blobs");
    assertTrue(present(berthd, PushedImages.SANDBOX_IMAGE), "the other image stays");
    remove(berthd, id); // removing again is fine
    assertEquals(id, pull(berthd, "busybox"), "and it can be pulled again");
  }

  @Test
  void badReferencesAreInvalidArgumentAndUnknownImagesNotFound(BerthdProcess berthd) {
    for (String bad : List.of("Busybox", "busybox:", "busybox@sha256:1234", "a//b", "host:99999/x")) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(berthd, bad));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), bad);
      assertTrue(e.getStatus().getDescription().contains("\"" + bad + "\""), e.getStatus().getDescription());
    }
    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> pull(berthd, "no-such-image:1"));
    assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode(), unknown.getStatus().getDescription());
    assertTrue(unknown.getStatus().getDescription().contains("docker.io/library/no-such-image:1"),
        unknown.getStatus().getDescription());
    assertFalse(present(berthd, "no-such-image:1"), "ImageStatus of an unknown image has no image");
    remove(berthd, "no-such-image:1"); // idempotent
  }

  @Test
  void concurrentPullsOfImagesSharingLayersDownloadEachBlobOnce(TestImages images, RegistryFixture registry)
      throws Exception {
    BuiltImage base = images.busybox();
    String repo = "shared-" + System.nanoTime();
    BuiltImage a = images.newImage().layer(base.layers().get(0)).layer(l -> l.file("/a.txt", "a\n")).cmd("sh").build();
    BuiltImage b = images.newImage().layer(base.layers().get(0)).layer(l -> l.file("/b.txt", "b\n")).cmd("sh").build();
    registry.pusher(images.blobs()).pushImage(repo, "a", a, ManifestFormat.OCI);
    registry.pusher(images.blobs()).pushImage(repo, "b", b, ManifestFormat.DOCKER);
    try (BerthdProcess berthd = BerthdProcess.builder().registry(registry).logLevel("info").start()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<String>> pulls = new ArrayList<>();
      try {
        for (String tag : List.of("a", "b", "a", "b")) {
          pulls.add(pool.submit(() -> pull(berthd, registry.reference(repo + ":" + tag))));
        }
        assertEquals(List.of(a.id(), b.id(), a.id(), b.id()), pulls.stream().map(f -> {
          try {
            return f.get();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }).toList());
      } finally {
        pool.shutdownNow();
      }
      assertEquals(1, blobGets(registry, repo, base.layers().get(0).digest().toString()),
          "the shared busybox layer is downloaded once");
      assertEquals(1, blobGets(registry, repo, a.configDigest().toString()), "a's config once");
      assertNoPartialDownloads(berthd);
    }
  }

  @Test
  void aCorruptedBlobIsRefusedAndNothingOfItIsKept(TestImages images) throws IOException {
    try (RegistryFixture registry = RegistryFixture.startPlain()) {
      BuiltImage img = images.newImage().layer(images.busybox().layers().get(0))
          .layer(l -> l.file("/payload", "the real content\n".repeat(100))).build();
      registry.pusher(images.blobs()).pushImage("corrupt", "v1", img, ManifestFormat.OCI);
      String layer = img.layers().get(1).digest().toString();
      Path data = registryBlobFile(registry, layer);
      byte[] bytes = Files.readAllBytes(data);
      bytes[bytes.length / 2] ^= 0x55; // same size, different digest
      Files.write(data, bytes);
      try (BerthdProcess berthd = BerthdProcess.builder().registry(registry).logLevel("info").start()) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> pull(berthd, registry.reference("corrupt:v1")));
        assertTrue(e.getStatus().getCode() == Status.Code.DATA_LOSS, e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(layer), e.getStatus().getDescription());
        assertFalse(present(berthd, registry.reference("corrupt:v1")));
        assertFalse(Files.exists(berthd.rootDir().resolve("content/sha256").resolve(layer.substring(7))));
        assertNoPartialDownloads(berthd);
      }
    }
  }
}
