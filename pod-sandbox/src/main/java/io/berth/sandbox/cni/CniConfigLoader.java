package io.berth.sandbox.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.os.JsonTrees;
import io.berth.sandbox.store.SandboxJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the pod network in the CNI conf dir, as libcni and containerd do: files ending in
 * {@code .conflist}, {@code .conf} or {@code .json}, sorted lexically; the first one that parses
 * wins. Files that do not parse are skipped (a half-written file from a network daemon must not
 * take the node down); if none parses, the first error is reported.
 *
 * <p>The directory is read on every call: network daemons write their config after berthd
 * starts, and the files are small.
 */
public final class CniConfigLoader {
  /** The outcome of looking at the conf dir: a network, or why there is none. */
  public record Loaded(NetworkConfigList network, String problem) {
    public boolean found() {
      return network != null;
    }
  }

  private final Path confDir;

  public CniConfigLoader(Path confDir) {
    this.confDir = confDir;
  }

  public Path confDir() {
    return confDir;
  }

  public Loaded load() {
    List<Path> files;
    try (Stream<Path> s = Files.list(confDir)) {
      files = s.filter(p -> isConfigName(p.getFileName().toString()) && Files.isRegularFile(p))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    } catch (NoSuchFileException e) {
      return new Loaded(null, "no network config found in " + confDir + " (directory does not exist)");
    } catch (IOException e) {
      return new Loaded(null, "cannot read CNI config directory " + confDir + ": " + e.getMessage());
    }
    String firstError = null;
    for (Path f : files) {
      try {
        return new Loaded(parse(f.toString(), Files.readAllBytes(f)), null);
      } catch (IOException | IllegalArgumentException e) {
        if (firstError == null) {
          firstError = f + ": " + e.getMessage();
        }
      }
    }
    if (firstError != null) {
      return new Loaded(null, "no valid network config in " + confDir + ": " + firstError);
    }
    return new Loaded(null, "no network config found in " + confDir);
  }

  static boolean isConfigName(String name) {
    return !name.startsWith(".")
        && (name.endsWith(".conflist") || name.endsWith(".conf") || name.endsWith(".json"));
  }

  /** Parses a conflist, or a single plugin config (a document with "type" and no "plugins"). */
  NetworkConfigList parse(String source, byte[] bytes) throws IOException {
    // Without the mapper: kubelet's Status calls land here every few seconds, on nodes that may
    // have no sandbox yet (JsonTrees says what a mapper would cost).
    JsonNode doc = JsonTrees.readJson(bytes);
    if (doc == null || !doc.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    ObjectNode root = (ObjectNode) doc;
    String name = text(root, "name");
    String version = text(root, "cniVersion");
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("missing \"name\"");
    }
    if (version == null || version.isEmpty()) {
      throw new IllegalArgumentException("missing \"cniVersion\"");
    }
    List<ObjectNode> plugins = new ArrayList<>();
    JsonNode list = root.get("plugins");
    if (list != null) {
      if (!list.isArray() || list.isEmpty()) {
        throw new IllegalArgumentException("\"plugins\" must be a non-empty array");
      }
      for (JsonNode p : (ArrayNode) list) {
        if (!p.isObject() || text(p, "type") == null || text(p, "type").isEmpty()) {
          throw new IllegalArgumentException("every plugin needs a \"type\"");
        }
        plugins.add((ObjectNode) p);
      }
    } else {
      if (text(root, "type") == null || text(root, "type").isEmpty()) {
        throw new IllegalArgumentException("neither \"plugins\" nor \"type\"");
      }
      plugins.add(root.deepCopy());
      ObjectNode asList = JsonNodeFactory.instance.objectNode();
      asList.put("cniVersion", version);
      asList.put("name", name);
      asList.set("plugins", JsonNodeFactory.instance.arrayNode().add(root.deepCopy()));
      root = asList;
    }
    boolean disableCheck = root.path("disableCheck").asBoolean(false);
    return new NetworkConfigList(name, version, disableCheck, plugins, source, root);
  }

  /** Rebuilds a list from its cached raw document (DEL after the conf dir changed). */
  NetworkConfigList fromCached(ObjectNode raw) throws IOException {
    return parse("cached config of network " + text(raw, "name"), SandboxJson.mapper().writeValueAsBytes(raw));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
