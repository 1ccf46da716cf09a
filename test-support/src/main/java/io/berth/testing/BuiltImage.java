package io.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image whose blobs are in a {@link BlobStore}: its config, layers, and the same image described
 * by an OCI manifest and (when every layer has a Docker media type) a Docker schema 2 manifest.
 * Both manifests reference the same config and layer blobs, so the image id is the same.
 */
public record BuiltImage(
    Platform platform,
    Digest configDigest,
    byte[] configJson,
    List<Layer> layers,
    ManifestBlob ociManifest,
    Optional<ManifestBlob> dockerManifest) {

  public BuiltImage {
    configJson = configJson.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public byte[] configJson() {
    return configJson.clone();
  }

  /** The image id as CRI reports it: the config digest, {@code sha256:<hex>}. */
  public String id() {
    return configDigest.toString();
  }

  public JsonNode config() {
    try {
      return Json.mapper().readTree(configJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ManifestBlob manifest(ManifestFormat format) {
    return format == ManifestFormat.OCI
        ? ociManifest
        : dockerManifest.orElseThrow(() -> new IllegalStateException(
            "this image has layers Docker schema 2 cannot describe (zstd); use the OCI manifest"));
  }

  /** Config and layer digests: what a registry needs before it accepts a manifest of this image. */
  public List<Digest> blobDigests() {
    List<Digest> out = new ArrayList<>();
    out.add(configDigest);
    layers.forEach(l -> out.add(l.digest()));
    return out;
  }

  static BuiltImage assemble(BlobStore store, Platform platform, byte[] configJson, List<Layer> layers) throws IOException {
    Digest configDigest = store.put(configJson);
    ManifestBlob oci = store(store, manifest(ManifestFormat.OCI, configDigest, configJson.length, layers));
    boolean dockerable = layers.stream().allMatch(l -> l.compression().mediaType(ManifestFormat.DOCKER).isPresent());
    Optional<ManifestBlob> docker = dockerable
        ? Optional.of(store(store, manifest(ManifestFormat.DOCKER, configDigest, configJson.length, layers)))
        : Optional.empty();
    return new BuiltImage(platform, configDigest, configJson, layers, oci, docker);
  }

  private static ManifestBlob manifest(ManifestFormat format, Digest config, long configSize, List<Layer> layers) {
    ObjectNode m = Json.object();
    m.put("schemaVersion", 2);
    m.put("mediaType", format.manifestMediaType());
    ObjectNode c = m.putObject("config");
    c.put("mediaType", format.configMediaType());
    c.put("digest", config.toString());
    c.put("size", configSize);
    ArrayNode ls = m.putArray("layers");
    for (Layer l : layers) {
      Descriptor d = l.descriptor(format);
      ls.addObject().put("mediaType", d.mediaType()).put("digest", d.digest().toString()).put("size", d.size());
    }
    return ManifestBlob.of(format.manifestMediaType(), Json.bytes(m));
  }

  private static ManifestBlob store(BlobStore store, ManifestBlob m) throws IOException {
    store.put(m.bytes());
    return m;
  }

  /**
   * Reads an image back from the store by its manifest digests (the image cache keeps only those).
   * Empty if any blob is missing or damaged, so the caller rebuilds it.
   */
  static Optional<BuiltImage> load(BlobStore store, Digest ociManifest, Optional<Digest> dockerManifest) {
    try {
      if (!store.contains(ociManifest)) {
        return Optional.empty();
      }
      ManifestBlob oci = ManifestBlob.of(MediaTypes.OCI_MANIFEST, store.read(ociManifest));
      if (!oci.digest().equals(ociManifest)) {
        return Optional.empty();
      }
      JsonNode m = oci.json();
      Digest configDigest = Digest.parse(m.path("config").path("digest").asText());
      if (!store.contains(configDigest)) {
        return Optional.empty();
      }
      byte[] configJson = store.read(configDigest);
      JsonNode config = Json.mapper().readTree(configJson);
      JsonNode diffIds = config.path("rootfs").path("diff_ids");
      List<Layer> layers = new ArrayList<>();
      int i = 0;
      for (JsonNode l : m.path("layers")) {
        Digest d = Digest.parse(l.path("digest").asText());
        long size = l.path("size").asLong();
        if (!store.contains(d) || store.size(d) != size) {
          return Optional.empty();
        }
        Compression comp = switch (l.path("mediaType").asText()) {
          case MediaTypes.OCI_LAYER_GZIP -> Compression.GZIP;
          case MediaTypes.OCI_LAYER_ZSTD -> Compression.ZSTD;
          default -> Compression.NONE;
        };
        layers.add(new Layer(d, size, Digest.parse(diffIds.path(i++).asText()), comp));
      }
      Optional<ManifestBlob> docker = Optional.empty();
      if (dockerManifest.isPresent()) {
        if (!store.contains(dockerManifest.get())) {
          return Optional.empty();
        }
        docker = Optional.of(ManifestBlob.of(MediaTypes.DOCKER_MANIFEST, store.read(dockerManifest.get())));
      }
      Platform platform = new Platform(config.path("os").asText(), config.path("architecture").asText(),
          config.hasNonNull("variant") ? Optional.of(config.get("variant").asText()) : Optional.empty());
      return Optional.of(new BuiltImage(platform, configDigest, configJson, layers, oci, docker));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
