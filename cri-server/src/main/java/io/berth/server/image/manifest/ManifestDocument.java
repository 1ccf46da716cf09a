package io.berth.server.image.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.server.Json;
import io.berth.server.image.manifest.ManifestException.Reason;
import io.berth.server.image.reference.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest as fetched from a registry: either an index (OCI index / Docker manifest list) that
 * points at per-platform manifests, or an image manifest (OCI / Docker schema 2) with a config and
 * layers. Docker schema 1 is refused with a message saying so.
 */
public sealed interface ManifestDocument permits ManifestDocument.Index, ManifestDocument.Manifest {
  String mediaType();

  record Index(String mediaType, List<Descriptor> manifests) implements ManifestDocument {
    public Index {
      manifests = List.copyOf(manifests);
    }
  }

  record Manifest(String mediaType, Descriptor config, List<Descriptor> layers) implements ManifestDocument {
    public Manifest {
      layers = List.copyOf(layers);
    }
  }

  /**
   * Parses a manifest body. {@code contentType} is the registry's Content-Type header (may be
   * empty); the document's own {@code mediaType} field decides when the header is generic.
   */
  static ManifestDocument parse(String contentType, byte[] body) throws ManifestException {
    String headerType = contentType == null ? "" : contentType.split(";")[0].trim();
    if (MediaTypes.SCHEMA1.contains(headerType)) {
      throw schema1();
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new ManifestException(Reason.MALFORMED, "manifest is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ManifestException(Reason.MALFORMED, "manifest is not a JSON object");
    }
    int schemaVersion = root.path("schemaVersion").asInt(-1);
    if (schemaVersion == 1) {
      throw schema1();
    }
    if (schemaVersion != 2) {
      throw new ManifestException(Reason.MALFORMED, "manifest schemaVersion " + root.path("schemaVersion")
          + " is not 2");
    }
    String type = root.path("mediaType").asText("");
    if (type.isEmpty() || !(MediaTypes.INDEXES.contains(type) || MediaTypes.MANIFESTS.contains(type))) {
      type = headerType;
    }
    if (type.isEmpty() || !(MediaTypes.INDEXES.contains(type) || MediaTypes.MANIFESTS.contains(type))) {
      // An OCI document may omit mediaType; its shape says what it is.
      if (root.has("manifests")) {
        type = MediaTypes.OCI_INDEX;
      } else if (root.has("config") && root.has("layers")) {
        type = MediaTypes.OCI_MANIFEST;
      } else {
        throw new ManifestException(Reason.UNSUPPORTED_MEDIA_TYPE, "unsupported manifest media type '"
            + (type.isEmpty() ? headerType : type) + "'");
      }
    }
    if (MediaTypes.INDEXES.contains(type)) {
      List<Descriptor> manifests = new ArrayList<>();
      for (JsonNode m : array(root, "manifests")) {
        manifests.add(descriptor(m, "manifests[]"));
      }
      return new Index(type, manifests);
    }
    Descriptor config = descriptor(root.path("config"), "config");
    List<Descriptor> layers = new ArrayList<>();
    for (JsonNode l : array(root, "layers")) {
      layers.add(descriptor(l, "layers[]"));
    }
    return new Manifest(type, config, layers);
  }

  private static ManifestException schema1() {
    return new ManifestException(Reason.SCHEMA1, "the image uses Docker manifest schema 1, which berth does "
        + "not support (deprecated since 2017); push it again as Docker schema 2 or OCI");
  }

  private static Iterable<JsonNode> array(JsonNode root, String field) throws ManifestException {
    JsonNode a = root.path(field);
    if (!a.isArray()) {
      throw new ManifestException(Reason.MALFORMED, "manifest has no '" + field + "' array");
    }
    return a;
  }

  static Descriptor descriptor(JsonNode n, String where) throws ManifestException {
    if (!n.isObject()) {
      throw new ManifestException(Reason.MALFORMED, "manifest " + where + " is not a descriptor object");
    }
    Digest digest;
    try {
      digest = Digest.parse(n.path("digest").asText(""));
    } catch (IllegalArgumentException e) {
      throw new ManifestException(Reason.MALFORMED, "manifest " + where + ": " + e.getMessage());
    }
    JsonNode size = n.path("size");
    if (!size.canConvertToLong() || size.asLong() < 0) {
      throw new ManifestException(Reason.MALFORMED, "manifest " + where + " " + digest + " has no valid size");
    }
    Platform platform = null;
    JsonNode p = n.path("platform");
    if (p.isObject()) {
      platform = new Platform(p.path("os").asText(""), p.path("architecture").asText(""),
          p.path("variant").asText(""));
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    n.path("annotations").forEachEntry((k, v) -> annotations.put(k, v.asText()));
    return new Descriptor(n.path("mediaType").asText(""), digest, size.asLong(), platform, annotations);
  }
}
