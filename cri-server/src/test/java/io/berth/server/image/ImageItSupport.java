package io.berth.server.image;

import io.berth.cri.v1.AuthConfig;
import io.berth.cri.v1.Image;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.ImageStatusRequest;
import io.berth.cri.v1.PullImageRequest;
import io.berth.cri.v1.RemoveImageRequest;
import io.berth.testing.BerthdProcess;
import io.berth.testing.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Small helpers shared by the image integration tests: CRI calls by image name, store checks. */
final class ImageItSupport {
  private ImageItSupport() {}

  static ImageSpec spec(String image) {
    return ImageSpec.newBuilder().setImage(image).build();
  }

  static String pull(BerthdProcess berthd, String image) {
    return berthd.images().pullImage(PullImageRequest.newBuilder().setImage(spec(image)).build()).getImageRef();
  }

  static String pull(BerthdProcess berthd, String image, AuthConfig auth) {
    return berthd.images().pullImage(PullImageRequest.newBuilder().setImage(spec(image)).setAuth(auth).build())
        .getImageRef();
  }

  /** The image, or the default (empty) Image when berthd does not have it. */
  static Image status(BerthdProcess berthd, String image) {
    return berthd.images().imageStatus(ImageStatusRequest.newBuilder().setImage(spec(image)).build()).getImage();
  }

  /** Whether ImageStatus returns an image (it returns none, not an error, for an unknown image). */
  static boolean present(BerthdProcess berthd, String image) {
    return berthd.images().imageStatus(ImageStatusRequest.newBuilder().setImage(spec(image)).build()).hasImage();
  }

  static void remove(BerthdProcess berthd, String image) {
    berthd.images().removeImage(RemoveImageRequest.newBuilder().setImage(spec(image)).build());
  }

  static long count(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  /** No partial blob or snapshot anywhere under berthd's root. */
  static void assertNoPartialDownloads(BerthdProcess berthd) throws IOException {
    long blobs = count(berthd.rootDir().resolve("content/ingest"));
    long snapshots = count(berthd.rootDir().resolve("snapshots/ingest"));
    if (blobs + snapshots != 0) {
      throw new AssertionError("partial downloads left: " + blobs + " blobs, " + snapshots + " snapshots");
    }
  }

  /** Blob GETs of {@code digest} in {@code repo} recorded in the registry's access log. */
  static long blobGets(RegistryFixture registry, String repo, String digest) throws IOException {
    String needle = "\"GET /v2/" + repo + "/blobs/" + digest + " ";
    try (Stream<String> lines = Files.lines(registry.logFile())) {
      return lines.filter(l -> l.contains(needle)).count();
    }
  }

  /** The blob's data file in docker-registry's filesystem storage. */
  static Path registryBlobFile(RegistryFixture registry, String digest) {
    String hex = digest.substring("sha256:".length());
    return registry.storageDir().resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2))
        .resolve(hex).resolve("data");
  }
}
