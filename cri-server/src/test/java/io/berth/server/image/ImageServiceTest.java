package io.berth.server.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.AuthConfig;
import io.berth.cri.v1.ImageFilter;
import io.berth.cri.v1.ImageFsInfoRequest;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.ImageStatusRequest;
import io.berth.cri.v1.ImageStatusResponse;
import io.berth.cri.v1.ListImagesRequest;
import io.berth.cri.v1.PullImageRequest;
import io.berth.cri.v1.RemoveImageRequest;
import io.berth.os.Linux;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigLoader;
import io.berth.server.config.ConfigOverrides;
import io.berth.server.image.TestRegistryServer.Auth;
import io.berth.server.image.reference.Digest;
import io.berth.server.image.store.SnapshotUsage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image service in process, against an in-memory registry: everything a pull does, without
 * the gRPC socket (the ITs cover that against docker-registry). Needs root (unpacking).
 */
class ImageServiceTest {
  @TempDir Path tmp;
  TestRegistryServer registry;
  CollectorRegistry metrics;
  ImageService service;
  String host;

  @BeforeAll
  static void needsRoot() {
    assertTrue(Linux.load().isRoot(), "ImageServiceTest needs root (it unpacks layers with owners and devices)");
  }

  @BeforeEach
  void start() throws Exception {
    registry = TestRegistryServer.inMemory(Auth.NONE, null, null);
    host = registry.hostPort();
    service = open("");
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private ImageService open(String extraToml) throws Exception {
    Path config = tmp.resolve("berth.toml");
    Files.writeString(config, "sandbox_image = \"" + host + "/pause:3.10\"\n" + extraToml
        + "[registry]\nstall_timeout = \"2s\"\n[registry.hosts.\"" + host + "\"]\nplain_http = true\n");
    BerthConfig c = new ConfigLoader().load(config, new ConfigOverrides(tmp.resolve("berth.sock").toString(),
        tmp.resolve("root").toString(), tmp.resolve("run").toString(), "info"));
    metrics = new CollectorRegistry(true);
    return ImageService.open(c, metrics);
  }

  private String pull(String image) {
    return service.pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build())
        .getImageRef();
  }

  private ImageStatusResponse status(String image, boolean verbose) throws IOException {
    return service.imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image))
        .setVerbose(verbose).build());
  }

  private void remove(String image) throws IOException {
    service.removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
  }

  private Path root() {
    return tmp.resolve("root");
  }

  private static TestImage busyboxish(String marker) {
    return new TestImage()
        .layer(new TestTar().dir("bin/", 0755).file("bin/sh", "#!fake shell".getBytes(StandardCharsets.UTF_8), 0755, 0, 0)
            .file("etc/motd", "base"))
        .layer(new TestTar().file("etc/.wh.motd", "").file("app/" + marker, marker))
        .user("1000:1000");
  }

  private long files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  private void assertNoDebris() throws IOException {
    assertEquals(0, files(root().resolve("content/ingest")), "no partial blobs");
    assertEquals(0, files(root().resolve("snapshots/ingest")), "no partial snapshots");
  }

  @Test
  void pullsAnOciImageAndReportsIt() throws IOException {
    TestImage img = busyboxish("one");
    Digest manifest = img.pushTo(registry, "app", "v1");
    String id = pull(host + "/app:v1");
    assertEquals(img.id().toString(), id, "PullImage returns the image id (config digest)");

    var image = status(host + "/app:v1", false).getImage();
    assertEquals(id, image.getId());
    assertEquals(List.of(host + "/app:v1"), image.getRepoTagsList());
    assertEquals(List.of(host + "/app@" + manifest), image.getRepoDigestsList());
    assertEquals(1000, image.getUid().getValue());
    assertTrue(image.getSize() > 0);
    assertFalse(image.getPinned());
    assertEquals(id, status(id, false).getImage().getId(), "found by id");
    assertEquals(id, status(id.substring(7, 19), false).getImage().getId(), "found by a unique id prefix");
    assertEquals(id, status(host + "/app@" + manifest, false).getImage().getId(), "found by repo digest");
    String info = status(id, true).getInfoMap().get("info");
    assertTrue(info.contains("\"imageSpec\"") && info.contains("\"diff_ids\"") && info.contains("\"chainID\""), info);

    ResolvedImage r = service.images().resolve(host + "/app:v1");
    assertEquals(2, r.layerDirs().size());
    assertTrue(Files.exists(r.layerDirs().get(0).resolve("app/one")), "top layer first");
    assertEquals("base", Files.readString(r.layerDirs().get(1).resolve("etc/motd")));
    assertEquals(List.of("sh"), r.config().cmd());
    assertEquals("1000:1000", r.config().user());
    assertEquals(r.layerDirs().get(0) + ":" + r.layerDirs().get(1), r.overlayLowerDir());

    var fs = service.imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystems(0);
    assertTrue(fs.getUsedBytes().getValue() > 0 && fs.getInodesUsed().getValue() > 5);
    assertEquals(root().resolve("snapshots").toString(), fs.getFsId().getMountpoint());
    assertEquals(1.0, metrics.getSampleValue("berth_image_pulls_total", new String[] {"outcome"}, new String[] {"OK"}));
    assertNoDebris();
  }

  @Test
  void dockerManifestsAndZstdLayers() throws IOException {
    TestImage docker = busyboxish("docker").docker();
    docker.pushTo(registry, "d", "latest");
    assertEquals(docker.id().toString(), pull(host + "/d"));
    TestImage zstd = new TestImage().zstdLayer(new TestTar().file("z", "zstd"));
    zstd.pushTo(registry, "z", "1");
    pull(host + "/z:1");
    assertEquals("zstd", Files.readString(service.images().resolve(host + "/z:1").layerDirs().get(0).resolve("z")));
  }

  @Test
  void anIndexResolvesToTheHostPlatform() throws IOException {
    TestImage amd = busyboxish("amd64");
    TestImage arm = new TestImage().architecture("arm64").layer(new TestTar().file("arm", "arm"));
    amd.pushTo(registry, "multi", "amd");
    arm.pushTo(registry, "multi", "arm");
    Digest index = TestImage.pushIndex(registry, "multi", "latest", List.of(arm, amd),
        List.of("linux/arm64/v8", "linux/amd64"));
    String id = pull(host + "/multi:latest");
    assertEquals(amd.id().toString(), id);
    assertEquals(List.of(host + "/multi@" + index), status(id, false).getImage().getRepoDigestsList(),
        "the repo digest is the index's, as the reference resolved to it");
    assertEquals(0, registry.count("GET", "/blobs/" + arm.layers().get(0).digest()));
  }

  @Test
  void noMatchingPlatformIsAFailedPrecondition() {
    TestImage arm = new TestImage().architecture("arm64").layer(new TestTar().file("arm", "arm"));
    arm.pushTo(registry, "armonly", "x");
    TestImage.pushIndex(registry, "armonly", "latest", List.of(arm), List.of("linux/arm64/v8"));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(host + "/armonly"));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("linux/arm64/v8"), e.getStatus().getDescription());
  }

  @Test
  void schema1IsRefusedClearly() {
    registry.put("old/manifests/v1", "{\"schemaVersion\":1,\"name\":\"old\",\"fsLayers\":[]}"
        .getBytes(StandardCharsets.UTF_8), "application/vnd.docker.distribution.manifest.v1+prettyjws");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(host + "/old:v1"));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("schema 1") && e.getStatus().getDescription().contains(host + "/old:v1"),
        e.getStatus().getDescription());
  }

  @Test
  void concurrentPullsOfImagesSharingLayersDownloadEachBlobOnce() throws Exception {
    TestTar base = new TestTar();
    for (int i = 0; i < 200; i++) {
      base.file("data/f" + i, ("payload " + i).repeat(2000));
    }
    TestImage a = new TestImage().layer(base).layer(new TestTar().file("a", "a"));
    TestImage b = new TestImage().layer(a.layers().get(0), a.diffIds().get(0)).layer(new TestTar().file("b", "b"));
    a.pushTo(registry, "shared", "a");
    b.pushTo(registry, "shared", "b");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> f = List.of(pool.submit(() -> pull(host + "/shared:a")),
          pool.submit(() -> pull(host + "/shared:b")), pool.submit(() -> pull(host + "/shared:a")),
          pool.submit(() -> pull(host + "/shared:b")));
      for (Future<String> x : f) {
        x.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, registry.count("GET", "/blobs/" + a.layers().get(0).digest()), "the shared layer is downloaded once");
    assertEquals(1, registry.count("GET", "/blobs/" + Digest.sha256(a.config())), "each config once");
    assertEquals(service.images().resolve(host + "/shared:a").layerDirs().get(1),
        service.images().resolve(host + "/shared:b").layerDirs().get(1), "one snapshot per chain id");
    assertNoDebris();
  }

  @Test
  void aCorruptedBlobIsRefusedAndNothingIsKept() throws IOException {
    TestImage img = busyboxish("corrupt");
    img.pushTo(registry, "bad", "v1");
    TestImage.Blob layer = img.layers().get(1);
    byte[] corrupted = new TestTar().file("app/evil", "not what was signed").gzip();
    registry.put("bad/blobs/" + layer.digest(), java.util.Arrays.copyOf(corrupted, layer.bytes().length), null);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(host + "/bad:v1"));
    assertEquals(Status.Code.DATA_LOSS, e.getStatus().getCode(), e.getStatus().getDescription());
    assertTrue(e.getStatus().getDescription().contains(layer.digest().toString()), e.getStatus().getDescription());
    assertFalse(Files.exists(root().resolve("content/sha256").resolve(layer.digest().hex())));
    assertTrue(status(host + "/bad:v1", false).getImage().getId().isEmpty(), "no image record");
    assertNoDebris();
  }

  @Test
  void aHostileLayerFailsThePullNamingTheEntry() throws IOException {
    TestImage img = new TestImage().layer(new TestTar().file("../../escape", "x"));
    img.pushTo(registry, "hostile", "v1");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(host + "/hostile:v1"));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("../../escape"), e.getStatus().getDescription());
    assertNoDebris();
    assertEquals(0, files(root().resolve("snapshots")) - 1, "only the ingest dir");
  }

  @Test
  void aStalledDownloadIsCancelledWithAClearError() throws IOException {
    TestImage img = busyboxish("stall");
    img.pushTo(registry, "slow", "v1");
    registry.stall("slow/blobs/" + img.layers().get(0).digest(), 10);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(host + "/slow:v1"));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("no data from") && e.getStatus().getDescription().contains("2s"),
        e.getStatus().getDescription());
    assertNoDebris();
  }

  @Test
  void badReferencesAndUnknownImages() throws IOException {
    StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> pull("Not A Reference"));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    assertTrue(bad.getStatus().getDescription().contains("\"Not A Reference\""), bad.getStatus().getDescription());
    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> pull(host + "/nothing:here"));
    assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
    assertTrue(unknown.getStatus().getDescription().contains(host + "/nothing:here"), unknown.getStatus().getDescription());
    assertFalse(status("busybox", false).hasImage(), "ImageStatus of an unknown image has no image");
    remove("busybox"); // idempotent
    StatusRuntimeException resolve = assertThrows(StatusRuntimeException.class, () -> service.images().resolve("busybox"));
    assertEquals(Status.Code.NOT_FOUND, resolve.getStatus().getCode());
  }

  @Test
  void removeByTagRemovesEveryTagAndUnreferencedContentButKeepsSharedAndInUse() throws Exception {
    TestImage a = busyboxish("a");
    TestImage b = new TestImage().layer(a.layers().get(0), a.diffIds().get(0)).layer(new TestTar().file("b", "b"));
    a.pushTo(registry, "rm", "a");
    a.pushTo(registry, "rm", "a2");
    b.pushTo(registry, "rm", "b");
    pull(host + "/rm:a");
    pull(host + "/rm:a2");
    pull(host + "/rm:b");
    assertEquals(2, status(host + "/rm:a", false).getImage().getRepoTagsCount());
    ResolvedImage ra = service.images().resolve(host + "/rm:a");
    ResolvedImage rb = service.images().resolve(host + "/rm:b");
    service.useSnapshotUsage(() -> Set.of(rb.chainIds().get(0)));

    remove(host + "/rm:a2");
    assertFalse(status(host + "/rm:a", false).hasImage(), "every tag of the image is gone");
    assertEquals(1, service.listImages(ListImagesRequest.getDefaultInstance()).getImagesCount());
    assertFalse(Files.exists(ra.layerDirs().get(0)), "a's own top snapshot is collected");
    assertTrue(Files.exists(ra.layerDirs().get(1)), "the shared base snapshot stays (b uses it)");
    assertFalse(Files.exists(root().resolve("content/sha256").resolve(a.layers().get(1).digest().hex())));
    assertTrue(Files.exists(root().resolve("content/sha256").resolve(a.layers().get(0).digest().hex())));

    remove(rb.id().toString());
    assertEquals(0, service.listImages(ListImagesRequest.getDefaultInstance()).getImagesCount());
    assertTrue(Files.exists(rb.layerDirs().get(0)), "a snapshot a container uses is never collected");
    assertFalse(Files.exists(rb.layerDirs().get(1)));
  }

  @Test
  void aTagMovesToTheNewImage() throws IOException {
    TestImage v1 = busyboxish("v1");
    v1.pushTo(registry, "mv", "latest");
    String first = pull(host + "/mv");
    TestImage v2 = busyboxish("v2");
    v2.pushTo(registry, "mv", "latest");
    String second = pull(host + "/mv");
    assertTrue(!first.equals(second));
    assertEquals(List.of(), status(first, false).getImage().getRepoTagsList(), "the old image lost the tag");
    assertEquals(List.of(host + "/mv:latest"), status(second, false).getImage().getRepoTagsList());
    var listed = service.listImages(ListImagesRequest.newBuilder()
        .setFilter(ImageFilter.newBuilder().setImage(ImageSpec.newBuilder().setImage(host + "/mv:latest"))).build());
    assertEquals(List.of(second), listed.getImagesList().stream().map(i -> i.getId()).toList(), "ListImages honours the filter");
  }

  @Test
  void recordsAndPinsSurviveARestartAndDebrisIsSwept() throws Exception {
    TestImage pause = new TestImage().layer(new TestTar().file("pause", "p")).user("65535:65535");
    pause.pushTo(registry, "pause", "3.10");
    String id = pull(host + "/pause:3.10");
    assertTrue(status(id, false).getImage().getPinned(), "the sandbox image is pinned");
    Files.writeString(root().resolve("content/ingest/deadbeef.partial"), "partial");
    Files.createDirectories(root().resolve("snapshots/ingest/abc-123/fs/x"));

    service = open("");
    assertNoDebris();
    var image = status(host + "/pause:3.10", false).getImage();
    assertEquals(id, image.getId());
    assertTrue(image.getPinned());
    assertEquals(65535, image.getUid().getValue());
    assertTrue(Files.exists(service.images().resolve(id).layerDirs().get(0).resolve("pause")));
  }

  @Test
  void bearerAuthFromAuthConfig() throws Exception {
    registry.close();
    registry = TestRegistryServer.inMemory(Auth.BEARER, "alice", "pw");
    host = registry.hostPort();
    service = open("");
    TestImage img = busyboxish("private");
    img.pushTo(registry, "private/app", "v1");
    StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> pull(host + "/private/app:v1"));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode(), denied.getStatus().getDescription());
    String id = service.pullImage(PullImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(host + "/private/app:v1"))
        .setAuth(AuthConfig.newBuilder().setUsername("alice").setPassword("pw").setServerAddress(host)).build())
        .getImageRef();
    assertEquals(img.id().toString(), id);
  }

  @Test
  void configCredentialsPerHost() throws Exception {
    registry.close();
    registry = TestRegistryServer.inMemory(Auth.BASIC, "carol", "pw2");
    host = registry.hostPort();
    String auth = java.util.Base64.getEncoder().encodeToString("carol:pw2".getBytes(StandardCharsets.UTF_8));
    service = open("");
    Path config = tmp.resolve("berth.toml");
    Files.writeString(config, Files.readString(config) + "auth = \"" + auth + "\"\n");
    BerthConfig c = new ConfigLoader().load(config, new ConfigOverrides(null, root().toString(), null, null));
    service = ImageService.open(c, new CollectorRegistry(true));
    TestImage img = busyboxish("cfg");
    img.pushTo(registry, "cfg", "v1");
    assertEquals(img.id().toString(), pull(host + "/cfg:v1"));
  }

  @Test
  void snapshotUsageDefaultsToNone() {
    assertEquals(Set.of(), SnapshotUsage.NONE.snapshotsInUse());
  }
}
