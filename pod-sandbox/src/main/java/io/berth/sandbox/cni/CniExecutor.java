package io.berth.sandbox.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.os.CommandRunner;
import io.berth.sandbox.store.SandboxJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs CNI plugins the way the CNI 1.0 spec ("Execution of Network Configurations") and libcni do:
 * each plugin is looked up by {@code type} in the bin dirs, given the CNI_* environment and its
 * configuration on stdin (the list's {@code name} and {@code cniVersion} injected, the previous
 * plugin's result as {@code prevResult}, {@code runtimeConfig} for the capabilities it declares).
 * ADD and CHECK run the plugins in order, DEL in reverse order.
 */
public final class CniExecutor {
  /** One invocation's identity: CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS. */
  public record Invocation(String containerId, String netns, String ifName, String cniArgs) {}

  private final List<Path> binDirs;
  private final CommandRunner runner;
  private final Duration timeout;

  public CniExecutor(List<Path> binDirs, CommandRunner runner, Duration timeout) {
    this.binDirs = List.copyOf(binDirs);
    this.runner = runner;
    this.timeout = timeout;
  }

  public List<Path> binDirs() {
    return binDirs;
  }

  /** The plugin binary for {@code type}: the first bin dir that has it. */
  public Optional<Path> find(String type) {
    if (type.isEmpty() || type.contains("/")) {
      return Optional.empty();
    }
    for (Path dir : binDirs) {
      Path p = dir.resolve(type);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Every plugin type a list needs, including nested IPAM plugins. */
  public static List<String> requiredTypes(NetworkConfigList list) {
    List<String> types = new ArrayList<>();
    for (ObjectNode p : list.plugins()) {
      types.add(p.path("type").asText());
      String ipam = p.path("ipam").path("type").asText("");
      if (!ipam.isEmpty()) {
        types.add(ipam);
      }
    }
    return types;
  }

  /** ADD through the whole list; returns the last plugin's result. */
  public JsonNode add(NetworkConfigList list, Invocation inv, ObjectNode capabilityArgs) throws CniException {
    JsonNode prev = null;
    for (ObjectNode plugin : list.plugins()) {
      ObjectNode conf = pluginConfig(list, plugin, prev, capabilityArgs);
      JsonNode result = exec("ADD", plugin.path("type").asText(), conf, inv);
      if (result == null) {
        throw new CniException("CNI plugin " + plugin.path("type").asText() + " returned no result for ADD", 0);
      }
      prev = result;
    }
    return prev;
  }

  /**
   * DEL through the list in reverse order. {@code prevResult} is the cached ADD result (null when
   * ADD never finished); CNI before 0.4.0 gets none, as the spec of those versions says.
   */
  public void del(NetworkConfigList list, Invocation inv, ObjectNode capabilityArgs, JsonNode prevResult)
      throws CniException {
    JsonNode prev = supportsPrevResultOnDel(list.cniVersion()) ? prevResult : null;
    List<ObjectNode> reversed = new ArrayList<>(list.plugins());
    java.util.Collections.reverse(reversed);
    for (ObjectNode plugin : reversed) {
      exec("DEL", plugin.path("type").asText(), pluginConfig(list, plugin, prev, capabilityArgs), inv);
    }
  }

  /** CHECK through the list in order; a no-op for CNI before 0.4.0 or with disableCheck. */
  public void check(NetworkConfigList list, Invocation inv, ObjectNode capabilityArgs, JsonNode prevResult)
      throws CniException {
    if (list.disableCheck() || !supportsPrevResultOnDel(list.cniVersion())) {
      return;
    }
    if (prevResult == null || prevResult.isNull()) {
      throw new CniException("CHECK of network " + list.name() + " needs the cached ADD result, and there is none", 0);
    }
    for (ObjectNode plugin : list.plugins()) {
      exec("CHECK", plugin.path("type").asText(), pluginConfig(list, plugin, prevResult, capabilityArgs), inv);
    }
  }

  /** The stdin document for one plugin (libcni buildOneConfig + injectRuntimeConfig). */
  ObjectNode pluginConfig(NetworkConfigList list, ObjectNode plugin, JsonNode prevResult,
      ObjectNode capabilityArgs) {
    ObjectNode conf = plugin.deepCopy();
    conf.put("name", list.name());
    conf.put("cniVersion", list.cniVersion());
    if (prevResult != null && !prevResult.isNull()) {
      conf.set("prevResult", prevResult);
    } else {
      conf.remove("prevResult");
    }
    ObjectNode runtimeConfig = SandboxJson.mapper().createObjectNode();
    JsonNode caps = plugin.path("capabilities");
    for (Map.Entry<String, JsonNode> cap : caps.properties()) {
      if (cap.getValue().asBoolean(false) && capabilityArgs != null && capabilityArgs.has(cap.getKey())) {
        runtimeConfig.set(cap.getKey(), capabilityArgs.get(cap.getKey()));
      }
    }
    if (!runtimeConfig.isEmpty()) {
      conf.set("runtimeConfig", runtimeConfig);
    } else {
      conf.remove("runtimeConfig");
    }
    return conf;
  }

  /** Runs one plugin; returns its parsed stdout (null when it printed nothing, as DEL does). */
  JsonNode exec(String command, String type, ObjectNode conf, Invocation inv) throws CniException {
    Path binary = find(type).orElseThrow(() -> new CniException(
        "CNI plugin " + type + " not found in " + binDirs, 0));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", inv.containerId());
    env.put("CNI_NETNS", inv.netns());
    env.put("CNI_IFNAME", inv.ifName());
    env.put("CNI_ARGS", inv.cniArgs());
    env.put("CNI_PATH", binDirs.stream().map(Path::toString).collect(Collectors.joining(":")));
    CommandRunner.Result r;
    try {
      r = runner.run(List.of(binary.toString()), env, SandboxJson.mapper().writeValueAsBytes(conf), timeout);
    } catch (IOException e) {
      throw new CniException("CNI plugin " + type + " " + command + " failed: " + e.getMessage(), e);
    }
    JsonNode out = null;
    String text = r.stdoutText().strip();
    if (!text.isEmpty()) {
      try {
        out = SandboxJson.mapper().readTree(text);
      } catch (IOException e) {
        if (r.exitCode() == 0) {
          throw new CniException("CNI plugin " + type + " " + command + " printed invalid JSON: " + abbreviate(text), 0);
        }
      }
    }
    if (r.exitCode() != 0) {
      int code = out == null ? 0 : out.path("code").asInt(0);
      String msg = out == null ? "" : out.path("msg").asText("");
      String details = out == null ? "" : out.path("details").asText("");
      StringBuilder m = new StringBuilder("CNI plugin " + type + " " + command + " failed (exit "
          + r.exitCode() + (code != 0 ? ", CNI error " + code : "") + ")");
      if (!msg.isEmpty()) {
        m.append(": ").append(msg);
      }
      if (!details.isEmpty()) {
        m.append(": ").append(details);
      }
      if (msg.isEmpty() && !r.stderrText().isEmpty()) {
        m.append(": ").append(abbreviate(r.stderrText()));
      }
      throw new CniException(m.toString(), code);
    }
    return out;
  }

  /** prevResult on DEL and the CHECK command arrived with CNI 0.4.0. */
  static boolean supportsPrevResultOnDel(String cniVersion) {
    return compareVersions(cniVersion, "0.4.0") >= 0;
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int xi = i < x.length ? parseOrZero(x[i]) : 0;
      int yi = i < y.length ? parseOrZero(y[i]) : 0;
      if (xi != yi) {
        return Integer.compare(xi, yi);
      }
    }
    return 0;
  }

  private static int parseOrZero(String s) {
    try {
      return Integer.parseInt(s.replaceAll("[^0-9].*$", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
  }
}
