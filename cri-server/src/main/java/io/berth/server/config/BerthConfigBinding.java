package io.berth.server.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The TOML keys of {@link BerthConfig}, both ways: {@link #bind} reads the merged tree into the
 * records (strictly, see {@link ConfigTable}), {@link #toTree} writes them back for
 * {@code berthd --print-config}. Both directions live here so that a new key is added in one place.
 */
final class BerthConfigBinding {
  private BerthConfigBinding() {}

  static BerthConfig bind(ObjectNode tree, String source) throws ConfigException {
    ConfigTable t = new ConfigTable(tree, "", source);
    BerthConfig c = new BerthConfig(
        t.string("socket"),
        t.string("root_dir"),
        t.string("state_dir"),
        t.string("log_level"),
        t.string("sandbox_image"),
        t.string("cgroup_driver"),
        t.table("runtime", r -> new BerthConfig.Runtime(
            r.string("default_handler"),
            r.string("monitor_path"),
            r.tables("handlers", h -> new BerthConfig.Handler(h.string("path"))))),
        t.table("cni", n -> new BerthConfig.Cni(n.string("conf_dir"), n.strings("bin_dirs"))),
        t.table("pod", p -> new BerthConfig.Pod(p.string("shm_size"))),
        t.table("registry", r -> new BerthConfig.Registry(
            r.string("stall_timeout"),
            r.integer("max_concurrent_downloads", 0),
            r.string("max_layer_size"),
            r.tables("hosts", h -> new BerthConfig.RegistryHost(
                h.strings("mirrors"),
                h.bool("plain_http"),
                h.string("ca_file"),
                h.bool("skip_verify"),
                h.string("username"),
                h.string("password"),
                h.string("auth"))))),
        t.table("metrics", m -> new BerthConfig.Metrics(m.string("address"))));
    t.finish();
    return c;
  }

  static ObjectNode toTree(BerthConfig c, boolean redactSecrets) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    put(t, "socket", c.socket());
    put(t, "root_dir", c.rootDir());
    put(t, "state_dir", c.stateDir());
    put(t, "log_level", c.logLevel());
    put(t, "sandbox_image", c.sandboxImage());
    put(t, "cgroup_driver", c.cgroupDriver());
    ObjectNode runtime = t.putObject("runtime");
    put(runtime, "default_handler", c.runtime().defaultHandler());
    put(runtime, "monitor_path", c.runtime().monitorPath());
    ObjectNode handlers = runtime.putObject("handlers");
    for (Map.Entry<String, BerthConfig.Handler> h : c.runtime().handlers().entrySet()) {
      put(handlers.putObject(h.getKey()), "path", h.getValue().path());
    }
    ObjectNode cni = t.putObject("cni");
    put(cni, "conf_dir", c.cni().confDir());
    strings(cni, "bin_dirs", c.cni().binDirs());
    put(t.putObject("pod"), "shm_size", c.pod().shmSize());
    ObjectNode registry = t.putObject("registry");
    put(registry, "stall_timeout", c.registry().stallTimeout());
    registry.put("max_concurrent_downloads", c.registry().maxConcurrentDownloads());
    put(registry, "max_layer_size", c.registry().maxLayerSize());
    ObjectNode hosts = registry.putObject("hosts");
    if (c.registry().hosts() != null) {
      for (Map.Entry<String, BerthConfig.RegistryHost> e : c.registry().hosts().entrySet()) {
        ObjectNode h = hosts.putObject(e.getKey());
        BerthConfig.RegistryHost v = e.getValue();
        if (v == null) {
          continue;
        }
        strings(h, "mirrors", v.mirrors());
        if (v.plainHttp() != null) {
          h.put("plain_http", v.plainHttp());
        }
        put(h, "ca_file", v.caFile());
        if (v.skipVerify() != null) {
          h.put("skip_verify", v.skipVerify());
        }
        put(h, "username", v.username());
        put(h, "password", redactSecrets ? redacted(v.password()) : v.password());
        put(h, "auth", redactSecrets ? redacted(v.auth()) : v.auth());
      }
    }
    put(t.putObject("metrics"), "address", c.metrics().address());
    return t;
  }

  private static String redacted(String secret) {
    return secret == null ? null : "<redacted>";
  }

  /** TOML has no null: an unset optional key is left out. */
  private static void put(ObjectNode n, String key, String value) {
    if (value != null) {
      n.put(key, value);
    }
  }

  private static void strings(ObjectNode n, String key, List<String> values) {
    if (values != null) {
      ArrayNode a = n.putArray(key);
      values.forEach(a::add);
    }
  }
}
