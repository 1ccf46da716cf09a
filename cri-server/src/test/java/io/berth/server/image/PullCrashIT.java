package io.berth.server.image;

import static io.berth.server.image.ImageItSupport.assertNoPartialDownloads;
import static io.berth.server.image.ImageItSupport.present;
import static io.berth.server.image.ImageItSupport.pull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.server.image.TestRegistryServer.Auth;
import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import io.berth.testing.BuiltImage;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.ImageBuilder;
import io.berth.testing.ManifestFormat;
import io.berth.testing.RegistryFixture;
import io.berth.testing.RequiresHost;
import io.berth.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * berthd SIGKILLed in the middle of a pull (downloads throttled by a proxy so there is a middle):
 * after the restart no partial file is left, every stored blob matches its digest, every snapshot
 * is complete, no image record exists, and the retried pull succeeds.
 */
@ExtendWith(BerthExtension.class)
@RequiresHost({Requirement.ROOT, Requirement.DOCKER_REGISTRY})
class PullCrashIT {
  private static final int LAYERS = 4;
  private static final int LAYER_BYTES = 6 << 20;

  private static BuiltImage bigImage(TestImages images) {
    Random random = new Random(42); // the same image every run, so the image cache reuses it
    ImageBuilder b = images.newImage();
    for (int i = 0; i < LAYERS; i++) {
      byte[] data = new byte[LAYER_BYTES];
      random.nextBytes(data);
      int n = i;
      b.layer(l -> l.file("/data/layer" + n + ".bin", data, 0644));
    }
    return b.cmd("sh").build();
  }

  @Test
  void killedMidPullThenRestartedStoreIsConsistentAndTheRetrySucceeds(TestImages images, RegistryFixture registry)
      throws Exception {
    BuiltImage img = bigImage(images);
    registry.pusher(images.blobs()).pushImage("crash", "v1", img, ManifestFormat.OCI);
    try (TestRegistryServer slow = TestRegistryServer.proxy(registry.baseUri(), Auth.NONE, null, null);
        BerthdProcess berthd = BerthdProcess.builder().logLevel("info")
            .extraToml("[registry.hosts.\"" + slow.hostPort() + "\"]\nplain_http = true").start()) {
      slow.throttle(2 << 20); // 2 MiB/s per blob: each layer takes about 3 s
      String ref = slow.hostPort() + "/crash:v1";
      CompletableFuture<String> pulling = CompletableFuture.supplyAsync(() -> pull(berthd, ref));
      Path ingest = berthd.rootDir().resolve("content/ingest");
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (largestFile(ingest) < (1 << 20)) {
        assertTrue(System.nanoTime() < deadline, "the pull never started writing blobs");
        assertFalse(pulling.isDone(), "the pull finished before it could be interrupted");
        Thread.sleep(20);
      }
      berthd.kill();
      assertTrue(pulling.handle((ok, failed) -> failed != null).get(), "the pull failed with berthd");
      assertTrue(Files.list(ingest).findAny().isPresent(), "berthd died with partial downloads on disk");

      slow.throttle(0);
      berthd.start();
      assertNoPartialDownloads(berthd);
      assertFalse(present(berthd, ref), "no record of an image whose pull did not finish");
      assertEveryBlobMatchesItsDigest(berthd.rootDir().resolve("content/sha256"));
      assertEverySnapshotIsComplete(berthd.rootDir().resolve("snapshots"));

      assertEquals(img.id(), pull(berthd, ref), "the retried pull succeeds");
      for (int i = 0; i < LAYERS; i++) {
        Path layer = berthd.rootDir().resolve("snapshots").resolve(chainHex(img, i)).resolve("fs/data/layer" + i + ".bin");
        assertEquals(LAYER_BYTES, Files.size(layer));
      }
      byte[] first = Files.readAllBytes(berthd.rootDir().resolve("snapshots").resolve(chainHex(img, 0))
          .resolve("fs/data/layer0.bin"));
      byte[] expected = new byte[LAYER_BYTES];
      new Random(42).nextBytes(expected);
      assertArrayEquals(expected, first);
      assertNoPartialDownloads(berthd);
    }
  }

  private static String chainHex(BuiltImage img, int index) {
    List<String> diffIds = img.layers().stream().map(l -> l.diffId().toString()).toList();
    String chain = diffIds.get(0);
    for (int i = 1; i <= index; i++) {
      chain = io.berth.server.image.reference.Digest.sha256((chain + " " + diffIds.get(i))
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
    return chain.substring("sha256:".length());
  }

  private static long largestFile(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // renamed into place meanwhile
        }
      }).max().orElse(0);
    }
  }

  private static void assertEveryBlobMatchesItsDigest(Path blobs) throws Exception {
    try (Stream<Path> s = Files.list(blobs)) {
      for (Path p : s.toList()) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
          }
        }
        assertEquals(p.getFileName().toString(), HexFormat.of().formatHex(md.digest()), "blob " + p + " is complete");
      }
    }
  }

  private static void assertEverySnapshotIsComplete(Path snapshots) throws IOException {
    try (Stream<Path> s = Files.list(snapshots)) {
      for (Path p : s.filter(d -> !d.getFileName().toString().equals("ingest")).toList()) {
        assertTrue(Files.isRegularFile(p.resolve("snapshot.json")) && Files.isDirectory(p.resolve("fs")),
            "snapshot " + p + " is complete");
      }
    }
  }
}
