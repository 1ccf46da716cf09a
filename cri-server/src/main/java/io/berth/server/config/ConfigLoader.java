package io.berth.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Builds the effective {@link BerthConfig}: embedded defaults ({@code berth-defaults.toml}), merged
 * with the config file key by key, then the flag overrides; then validated. Every failure is a
 * {@link ConfigException} whose one-line message names the offending key, as containerd and
 * CRI-O do, so a typo stops startup instead of being silently ignored.
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "/io/berth/server/berth-defaults.toml";
  private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error");
  private static final Set<String> CGROUP_DRIVERS = Set.of("auto", "cgroupfs", "systemd");

  // Only the tree model is used: binding to the records is BerthConfigBinding's.
  private final TomlTreeReader reader = new TomlTreeReader();

  public ConfigLoader() {}

  /** Loads the defaults, then {@code file} if not null, then {@code overrides}. */
  public BerthConfig load(Path file, ConfigOverrides overrides) throws ConfigException {
    ObjectNode tree = defaults();
    if (file != null) {
      merge(tree, parseFile(file));
    }
    applyOverrides(tree, overrides);
    BerthConfig config = BerthConfigBinding.bind(tree, file == null ? "defaults" : file.toString());
    validate(config);
    return config;
  }

  /** The effective configuration as TOML, for {@code berthd --print-config}. */
  public String toToml(BerthConfig config) {
    try {
      // Only --print-config writes TOML, so only it pays for an ObjectMapper.
      return new TomlMapper().writeValueAsString(BerthConfigBinding.toTree(config, false));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render config", e);
    }
  }

  /**
   * The configuration as a tree with its TOML key names, for verbose Status; with
   * {@code redactSecrets} registry passwords and auth strings are replaced.
   */
  public static ObjectNode toTree(BerthConfig config, boolean redactSecrets) {
    return BerthConfigBinding.toTree(config, redactSecrets);
  }

  private ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      return reader.read(in);
    } catch (IOException e) {
      throw new IllegalStateException("embedded defaults unreadable", e);
    }
  }

  private ObjectNode parseFile(Path file) throws ConfigException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config: file " + file + " does not exist or is not a regular file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return reader.read(in);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException("config: " + file + ": TOML syntax error" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("config: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Tables merge key by key (so a file that adds one handler keeps the default ones); values replace. */
  private static void merge(ObjectNode into, ObjectNode from) {
    Iterator<Map.Entry<String, JsonNode>> it = from.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode && e.getValue() instanceof ObjectNode) {
        merge((ObjectNode) existing, (ObjectNode) e.getValue());
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void applyOverrides(ObjectNode tree, ConfigOverrides o) {
    if (o.socket() != null) {
      tree.put("socket", o.socket());
    }
    if (o.rootDir() != null) {
      tree.put("root_dir", o.rootDir());
    }
    if (o.stateDir() != null) {
      tree.put("state_dir", o.stateDir());
    }
    if (o.logLevel() != null) {
      tree.put("log_level", o.logLevel());
    }
  }

  private static void validate(BerthConfig c) throws ConfigException {
    absolute("socket", c.socket());
    absolute("root_dir", c.rootDir());
    absolute("state_dir", c.stateDir());
    oneOf("log_level", c.logLevel(), LOG_LEVELS);
    oneOf("cgroup_driver", c.cgroupDriver(), CGROUP_DRIVERS);
    nonEmpty("sandbox_image", c.sandboxImage());

    BerthConfig.Runtime rt = c.runtime();
    nonEmpty("runtime.monitor_path", rt.monitorPath());
    if (rt.handlers() == null || rt.handlers().isEmpty()) {
      throw new ConfigException("config: runtime.handlers must name at least one OCI runtime");
    }
    for (Map.Entry<String, BerthConfig.Handler> h : rt.handlers().entrySet()) {
      if (!h.getKey().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        throw new ConfigException("config: runtime.handlers.\"" + h.getKey() + "\": a handler name must be a DNS label (lower case, digits, '-', '.')");
      }
      if (h.getValue() == null) {
        throw new ConfigException("config: runtime.handlers." + h.getKey() + " must be a table with a path");
      }
      nonEmpty("runtime.handlers." + h.getKey() + ".path", h.getValue().path());
    }
    if (!rt.handlers().containsKey(rt.defaultHandler())) {
      throw new ConfigException("config: runtime.default_handler = \"" + rt.defaultHandler()
          + "\" is not one of runtime.handlers " + rt.handlers().keySet());
    }

    absolute("cni.conf_dir", c.cni().confDir());
    if (c.cni().binDirs() == null || c.cni().binDirs().isEmpty()) {
      throw new ConfigException("config: cni.bin_dirs must list at least one directory");
    }
    for (int i = 0; i < c.cni().binDirs().size(); i++) {
      absolute("cni.bin_dirs[" + i + "]", c.cni().binDirs().get(i));
    }

    if (Quantities.bytes("pod.shm_size", c.pod().shmSize()) <= 0) {
      throw new ConfigException("config: pod.shm_size must be positive");
    }

    BerthConfig.Registry reg = c.registry();
    if (Quantities.duration("registry.stall_timeout", reg.stallTimeout()).isZero()) {
      throw new ConfigException("config: registry.stall_timeout must be positive");
    }
    if (reg.maxConcurrentDownloads() < 1 || reg.maxConcurrentDownloads() > 64) {
      throw new ConfigException("config: registry.max_concurrent_downloads = " + reg.maxConcurrentDownloads()
          + " is out of range 1..64");
    }
    if (Quantities.bytes("registry.max_layer_size", reg.maxLayerSize()) <= 0) {
      throw new ConfigException("config: registry.max_layer_size must be positive");
    }
    if (reg.hosts() != null) {
      for (Map.Entry<String, BerthConfig.RegistryHost> e : reg.hosts().entrySet()) {
        validateHost(e.getKey(), e.getValue());
      }
    }

    String metrics = c.metrics().address();
    if (metrics != null && !metrics.isEmpty()) {
      int colon = metrics.lastIndexOf(':');
      int port = -1;
      try {
        port = colon < 0 ? -1 : Integer.parseInt(metrics.substring(colon + 1));
      } catch (NumberFormatException ignored) {
        // reported below
      }
      if (colon <= 0 || port < 1 || port > 65535) {
        throw new ConfigException("config: metrics.address = \"" + metrics + "\" must be host:port (e.g. 127.0.0.1:9090)");
      }
    }
  }

  private static void validateHost(String host, BerthConfig.RegistryHost h) throws ConfigException {
    String key = "registry.hosts.\"" + host + "\"";
    if (!host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      throw new ConfigException("config: " + key + ": not a registry host[:port]");
    }
    if (h == null) {
      return;
    }
    if (h.mirrors() != null) {
      for (int i = 0; i < h.mirrors().size(); i++) {
        String m = h.mirrors().get(i);
        try {
          URI uri = new URI(m);
          if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new URISyntaxException(m, "scheme must be http or https, with a host");
          }
        } catch (URISyntaxException e) {
          throw new ConfigException("config: " + key + ".mirrors[" + i + "] = \"" + m + "\" is not an http(s) URL: " + e.getReason());
        }
      }
    }
    if (h.caFile() != null && !Files.isReadable(Path.of(h.caFile()))) {
      throw new ConfigException("config: " + key + ".ca_file = \"" + h.caFile() + "\" is not a readable file");
    }
    if ((h.username() == null) != (h.password() == null)) {
      throw new ConfigException("config: " + key + ": username and password go together");
    }
  }

  private static void absolute(String key, String value) throws ConfigException {
    nonEmpty(key, value);
    if (!value.startsWith("/")) {
      throw new ConfigException("config: " + key + " = \"" + value + "\" must be an absolute path");
    }
  }

  private static void nonEmpty(String key, String value) throws ConfigException {
    if (value == null || value.isBlank()) {
      throw new ConfigException("config: " + key + " must not be empty");
    }
  }

  private static void oneOf(String key, String value, Set<String> allowed) throws ConfigException {
    if (!allowed.contains(value)) {
      throw new ConfigException("config: " + key + " = \"" + value + "\" is not one of " + allowed);
    }
  }
}
