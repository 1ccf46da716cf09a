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
import java.util.TreeMap;

/**
 * An OCI / Docker image config blob: the platform it was built for, the layer diff ids (digests of
 * the uncompressed layer tars) and the run config. {@code json} is the whole document as parsed,
 * for ImageStatus verbose.
 */
public record ImageConfigDocument(Platform platform, List<Digest> diffIds, ImageConfig config, JsonNode json) {
  public ImageConfigDocument {
    diffIds = List.copyOf(diffIds);
  }

  public static ImageConfigDocument parse(byte[] body) throws ManifestException {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new ManifestException(Reason.MALFORMED, "image config is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ManifestException(Reason.MALFORMED, "image config is not a JSON object");
    }
    JsonNode rootfs = root.path("rootfs");
    if (!rootfs.path("diff_ids").isArray()) {
      throw new ManifestException(Reason.MALFORMED, "image config has no rootfs.diff_ids");
    }
    List<Digest> diffIds = new ArrayList<>();
    for (JsonNode d : rootfs.path("diff_ids")) {
      try {
        diffIds.add(Digest.parse(d.asText()));
      } catch (IllegalArgumentException e) {
        throw new ManifestException(Reason.MALFORMED, "image config rootfs.diff_ids: " + e.getMessage());
      }
    }
    Platform platform = new Platform(root.path("os").asText(""), root.path("architecture").asText(""),
        root.path("variant").asText(""));
    JsonNode c = root.path("config");
    Map<String, String> labels = new TreeMap<>();
    c.path("Labels").forEachEntry((k, v) -> labels.put(k, v.asText()));
    ImageConfig config = new ImageConfig(strings(c.path("Entrypoint")), strings(c.path("Cmd")),
        strings(c.path("Env")), c.path("WorkingDir").asText(""), c.path("User").asText(""),
        c.path("StopSignal").asText(""), labels, keys(c.path("ExposedPorts")), keys(c.path("Volumes")));
    return new ImageConfigDocument(platform, diffIds, config, root);
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(e -> out.add(e.asText()));
    } else if (n.isTextual()) {
      out.add(n.asText());
    }
    return out;
  }

  private static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Chain ids of the layers (OCI image spec: ChainID(L0) = DiffID(L0), ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))). */
  public List<Digest> chainIds() {
    List<Digest> out = new ArrayList<>();
    Digest chain = null;
    for (Digest diff : diffIds) {
      chain = chain == null ? diff
          : Digest.sha256((chain + " " + diff).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.add(chain);
    }
    return out;
  }

  /** The run config as containerd shows it in ImageStatus verbose info ("imageSpec"). */
  public Map<String, Object> asInfoMap() {
    return Json.mapper().convertValue(json,
        new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
  }
}
