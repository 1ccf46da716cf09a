package io.berth.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds an image into a {@link BlobStore}: layers (from entries, a directory, or raw tar bytes)
 * and the config fields a runtime reads. {@link #build()} writes the blobs and both manifests.
 *
 * <pre>{@code
 * BuiltImage img = images.newImage()
 *     .layer(l -> l.file("/hello.txt", "hi\n"))
 *     .entrypoint("/bin/sh", "-c").cmd("cat /hello.txt")
 *     .env("GREETING=hi").user("1000:1000").workingDir("/tmp")
 *     .build();
 * }</pre>
 */
public final class ImageBuilder {
  /** What becomes a layer at build time. */
  private interface PendingLayer {
    Layer write(TarLayerWriter w) throws IOException;

    String createdBy();
  }

  private final BlobStore store;
  private final List<PendingLayer> layers = new ArrayList<>();
  private Platform platform = Platform.LINUX_AMD64;
  private List<String> cmd;
  private List<String> entrypoint;
  private final List<String> env = new ArrayList<>();
  private String user;
  private String workingDir;
  private String stopSignal;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Set<String> exposedPorts = new LinkedHashSet<>();
  private final Set<String> volumes = new LinkedHashSet<>();

  public ImageBuilder(BlobStore store) {
    this.store = store;
  }

  public ImageBuilder platform(Platform p) {
    this.platform = p;
    return this;
  }

  public ImageBuilder layer(LayerBuilder layer) {
    List<LayerEntry> entries = layer.entries();
    Compression c = layer.compression();
    String createdBy = layer.createdBy();
    layers.add(new PendingLayer() {
      @Override
      public Layer write(TarLayerWriter w) throws IOException {
        return w.write(entries, c);
      }

      @Override
      public String createdBy() {
        return createdBy;
      }
    });
    return this;
  }

  public ImageBuilder layer(Consumer<LayerBuilder> fill) {
    LayerBuilder b = new LayerBuilder();
    fill.accept(b);
    return layer(b);
  }

  /** A layer holding everything under {@code dir} (owned by root, gzip). */
  public ImageBuilder layerFromDirectory(Path dir) {
    return layer(new LayerBuilder().fromDirectory(dir).createdBy("COPY " + dir + " /"));
  }

  /** A layer from tar bytes made elsewhere, e.g. truncated or otherwise malformed on purpose. */
  public ImageBuilder rawLayer(byte[] tar, Compression compression) {
    byte[] copy = tar.clone();
    layers.add(new PendingLayer() {
      @Override
      public Layer write(TarLayerWriter w) throws IOException {
        return w.writeRaw(new ByteArrayInputStream(copy), compression);
      }

      @Override
      public String createdBy() {
        return "raw tar layer";
      }
    });
    return this;
  }

  /** A layer already in the same store (e.g. a base image's), reused without rewriting it. */
  public ImageBuilder layer(Layer existing) {
    layers.add(new PendingLayer() {
      @Override
      public Layer write(TarLayerWriter w) {
        return existing;
      }

      @Override
      public String createdBy() {
        return "reused layer " + existing.digest().shortHex();
      }
    });
    return this;
  }

  public ImageBuilder cmd(String... args) {
    this.cmd = List.of(args);
    return this;
  }

  public ImageBuilder entrypoint(String... args) {
    this.entrypoint = List.of(args);
    return this;
  }

  /** Adds {@code NAME=value} entries to the config's Env, in order. */
  public ImageBuilder env(String... entries) {
    env.addAll(Arrays.asList(entries));
    return this;
  }

  /** {@code uid}, {@code uid:gid}, {@code name} or {@code name:group}, as the config's User. */
  public ImageBuilder user(String u) {
    this.user = u;
    return this;
  }

  public ImageBuilder workingDir(String dir) {
    this.workingDir = dir;
    return this;
  }

  public ImageBuilder stopSignal(String signal) {
    this.stopSignal = signal;
    return this;
  }

  public ImageBuilder label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  /** e.g. {@code 8080/tcp}. */
  public ImageBuilder exposedPort(String port) {
    exposedPorts.add(port);
    return this;
  }

  public ImageBuilder volume(String path) {
    volumes.add(path);
    return this;
  }

  public BuiltImage build() {
    try {
      TarLayerWriter writer = new TarLayerWriter(store);
      List<Layer> written = new ArrayList<>();
      List<String> history = new ArrayList<>();
      for (PendingLayer p : layers) {
        written.add(p.write(writer));
        history.add(p.createdBy());
      }
      return BuiltImage.assemble(store, platform, Json.bytes(config(written, history)), written);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build image", e);
    }
  }

  private ObjectNode config(List<Layer> written, List<String> history) {
    String created = TarLayerWriter.MTIME.toInstant().toString();
    ObjectNode root = Json.object();
    root.put("created", created);
    root.put("architecture", platform.architecture());
    root.put("os", platform.os());
    platform.variant().ifPresent(v -> root.put("variant", v));
    ObjectNode c = root.putObject("config");
    if (user != null) {
      c.put("User", user);
    }
    if (!exposedPorts.isEmpty()) {
      ObjectNode ports = c.putObject("ExposedPorts");
      exposedPorts.forEach(p -> ports.putObject(p));
    }
    if (!env.isEmpty()) {
      ArrayNode e = c.putArray("Env");
      env.forEach(e::add);
    }
    if (entrypoint != null) {
      ArrayNode e = c.putArray("Entrypoint");
      entrypoint.forEach(e::add);
    }
    if (cmd != null) {
      ArrayNode e = c.putArray("Cmd");
      cmd.forEach(e::add);
    }
    if (!volumes.isEmpty()) {
      ObjectNode v = c.putObject("Volumes");
      volumes.forEach(v::putObject);
    }
    if (workingDir != null) {
      c.put("WorkingDir", workingDir);
    }
    if (!labels.isEmpty()) {
      ObjectNode l = c.putObject("Labels");
      labels.forEach(l::put);
    }
    if (stopSignal != null) {
      c.put("StopSignal", stopSignal);
    }
    ObjectNode rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.putArray("diff_ids");
    written.forEach(l -> ids.add(l.diffId().toString()));
    ArrayNode h = root.putArray("history");
    for (String line : history) {
      h.addObject().put("created", created).put("created_by", line);
    }
    return root;
  }
}
