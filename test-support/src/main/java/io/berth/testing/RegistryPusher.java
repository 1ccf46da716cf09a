package io.berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes images from a {@link BlobStore} to a registry over the distribution API: each blob by
 * {@code POST /v2/<name>/blobs/uploads/} then a monolithic {@code PUT <location>&digest=}, or by a
 * cross-repository mount when this pusher already pushed it elsewhere; then manifests by
 * {@code PUT /v2/<name>/manifests/<reference>} with the manifest's media type.
 */
public final class RegistryPusher {
  private final RegistryHttp http;
  private final BlobStore store;
  /** Where this pusher has put each blob, to mount instead of uploading again. */
  private final Map<Digest, String> pushedTo = new HashMap<>();

  public RegistryPusher(RegistryHttp http, BlobStore store) {
    this.http = http;
    this.store = store;
  }

  public RegistryHttp http() {
    return http;
  }

  public synchronized void pushBlob(String repo, Digest digest) throws IOException {
    if (http.hasBlob(repo, digest)) {
      pushedTo.putIfAbsent(digest, repo);
      return;
    }
    String from = pushedTo.get(digest);
    String query = from != null && !from.equals(repo)
        ? "?mount=" + enc(digest.toString()) + "&from=" + enc(from)
        : "";
    HttpResponse<byte[]> started = http.expect(HttpRequest.newBuilder(http.uri("/v2/" + repo + "/blobs/uploads/" + query))
        .POST(HttpRequest.BodyPublishers.noBody()), 201, 202);
    if (started.statusCode() == 202) {
      String location = started.headers().firstValue("Location")
          .orElseThrow(() -> new IOException("upload to " + repo + " started without a Location"));
      URI put = http.base().resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + enc(digest.toString()));
      http.expect(HttpRequest.newBuilder(put)
          .header("Content-Type", "application/octet-stream")
          .PUT(HttpRequest.BodyPublishers.ofFile(store.path(digest))), 201);
    }
    pushedTo.putIfAbsent(digest, repo);
  }

  /** Pushes a manifest under {@code reference} (a tag, or its own digest) and checks the digest the registry computed. */
  public Digest pushManifest(String repo, String reference, ManifestBlob manifest) throws IOException {
    HttpResponse<byte[]> r = http.expect(HttpRequest.newBuilder(http.uri("/v2/" + repo + "/manifests/" + reference))
        .header("Content-Type", manifest.mediaType())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())), 201);
    String got = r.headers().firstValue("Docker-Content-Digest").orElse(manifest.digest().toString());
    if (!got.equals(manifest.digest().toString())) {
      throw new IOException("registry stored " + repo + ":" + reference + " as " + got + ", expected " + manifest.digest());
    }
    return manifest.digest();
  }

  /** Pushes the image's blobs and its manifest of {@code format} as {@code repo:tag}. */
  public Digest pushImage(String repo, String tag, BuiltImage image, ManifestFormat format) throws IOException {
    for (Digest d : image.blobDigests()) {
      pushBlob(repo, d);
    }
    return pushManifest(repo, tag, image.manifest(format));
  }

  /** Pushes every listed image (blobs, then its manifest by digest), then the index as {@code repo:tag}. */
  public Digest pushIndex(String repo, String tag, ImageIndex index) throws IOException {
    for (BuiltImage img : index.images()) {
      ManifestBlob m = img.manifest(index.format());
      pushImage(repo, m.digest().toString(), img, index.format());
    }
    return pushManifest(repo, tag, index.manifest());
  }

  /**
   * Pushes the standard test images (see {@link PushedImages}) under {@code busybox}, its Docker
   * Hub spelling {@code library/busybox}, {@code pause} and {@code google-containers/pause}.
   */
  public PushedImages pushStandardImages(TestImages images, String registryHost) throws IOException {
    BuiltImage busybox = images.busybox();
    BuiltImage pause = images.pause();
    ImageIndex ociIndex = images.busyboxIndex(ManifestFormat.OCI);
    ImageIndex dockerList = images.busyboxIndex(ManifestFormat.DOCKER);
    ImageIndex arm64Only = images.arm64OnlyIndex();
    for (String repo : List.of("busybox", "library/busybox")) {
      pushImage(repo, "latest", busybox, ManifestFormat.DOCKER);
      pushImage(repo, "oci", busybox, ManifestFormat.OCI);
      pushIndex(repo, "multi", ociIndex);
      pushIndex(repo, "list", dockerList);
      pushIndex(repo, "arm64-only", arm64Only);
    }
    for (String repo : List.of("pause", "google-containers/pause")) {
      pushImage(repo, "3.10", pause, ManifestFormat.DOCKER);
      pushImage(repo, "3.10-oci", pause, ManifestFormat.OCI);
    }
    return new PushedImages(registryHost, busybox, pause, images.arm64(), ociIndex, dockerList, arm64Only);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
