package io.berth.server.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.server.image.manifest.MediaTypes;
import io.berth.server.image.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small image for in-process tests: layers from {@link TestTar}, a config with their diff ids,
 * and an OCI or Docker manifest; {@link #pushTo} puts it into a {@link TestRegistryServer}.
 */
public final class TestImage {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Blob(byte[] bytes, String mediaType) {
    public Digest digest() {
      return Digest.sha256(bytes);
    }
  }

  private final List<Blob> layers = new ArrayList<>();
  private final List<Digest> diffIds = new ArrayList<>();
  private String user = "";
  private String architecture = "amd64";
  private boolean docker;

  public TestImage layer(TestTar tar) {
    layers.add(new Blob(tar.gzip(), docker ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP));
    diffIds.add(Digest.sha256(tar.bytes()));
    return this;
  }

  public TestImage zstdLayer(TestTar tar) {
    layers.add(new Blob(tar.zstd(), MediaTypes.OCI_LAYER_ZSTD));
    diffIds.add(Digest.sha256(tar.bytes()));
    return this;
  }

  /** A layer reused from another image (same blob, same diff id). */
  public TestImage layer(Blob blob, Digest diffId) {
    layers.add(blob);
    diffIds.add(diffId);
    return this;
  }

  public TestImage user(String u) {
    this.user = u;
    return this;
  }

  public TestImage architecture(String arch) {
    this.architecture = arch;
    return this;
  }

  public TestImage docker() {
    this.docker = true;
    return this;
  }

  public List<Blob> layers() {
    return layers;
  }

  public List<Digest> diffIds() {
    return diffIds;
  }

  public byte[] config() {
    ObjectNode c = JSON.createObjectNode();
    c.put("architecture", architecture).put("os", "linux");
    ObjectNode cfg = c.putObject("config");
    cfg.put("User", user);
    cfg.putArray("Env").add("PATH=/bin");
    cfg.putArray("Cmd").add("sh");
    cfg.putObject("Labels").put("test", "yes");
    ObjectNode rootfs = c.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode d = rootfs.putArray("diff_ids");
    diffIds.forEach(x -> d.add(x.toString()));
    return bytes(c);
  }

  public Digest id() {
    return Digest.sha256(config());
  }

  public byte[] manifest() {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST);
    byte[] config = config();
    m.putObject("config").put("mediaType", docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG)
        .put("digest", Digest.sha256(config).toString()).put("size", config.length);
    ArrayNode ls = m.putArray("layers");
    for (Blob l : layers) {
      ls.addObject().put("mediaType", l.mediaType()).put("digest", l.digest().toString()).put("size", l.bytes().length);
    }
    return bytes(m);
  }

  public String manifestType() {
    return docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
  }

  /** Stores blobs and the manifest under {@code repo:tag}; returns the manifest digest. */
  public Digest pushTo(TestRegistryServer s, String repo, String tag) {
    for (Blob l : layers) {
      s.put(repo + "/blobs/" + l.digest(), l.bytes(), "application/octet-stream");
    }
    byte[] config = config();
    s.put(repo + "/blobs/" + Digest.sha256(config), config, "application/octet-stream");
    byte[] manifest = manifest();
    Digest md = Digest.sha256(manifest);
    s.put(repo + "/manifests/" + tag, manifest, manifestType());
    s.put(repo + "/manifests/" + md, manifest, manifestType());
    return md;
  }

  /** An OCI index of {@code images} (already pushed) under {@code repo:tag}. */
  public static Digest pushIndex(TestRegistryServer s, String repo, String tag, List<TestImage> images,
      List<String> platforms) {
    ObjectNode idx = JSON.createObjectNode();
    idx.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode ms = idx.putArray("manifests");
    for (int i = 0; i < images.size(); i++) {
      byte[] m = images.get(i).manifest();
      String[] p = platforms.get(i).split("/");
      ObjectNode e = ms.addObject().put("mediaType", images.get(i).manifestType())
          .put("digest", Digest.sha256(m).toString()).put("size", m.length);
      ObjectNode plat = e.putObject("platform").put("os", p[0]).put("architecture", p[1]);
      if (p.length > 2) {
        plat.put("variant", p[2]);
      }
    }
    byte[] body = bytes(idx);
    s.put(repo + "/manifests/" + tag, body, MediaTypes.OCI_INDEX);
    Digest d = Digest.sha256(body);
    s.put(repo + "/manifests/" + d, body, MediaTypes.OCI_INDEX);
    return d;
  }

  private static byte[] bytes(ObjectNode n) {
    try {
      return JSON.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
