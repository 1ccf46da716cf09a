package io.berth.sandbox.ns;

import io.berth.sandbox.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which sysctls a pod may set. Only namespaced sysctls are allowed, and only when the pod owns the
 * namespace: a value written for a pod must never change the host. The lists follow runc's
 * validator and the Kubernetes documentation on namespaced sysctls.
 */
public final class SysctlPolicy {
  private static final Set<String> IPC_NAMES = Set.of("kernel.sem");
  private static final List<String> IPC_PREFIXES = List.of("kernel.shm", "kernel.msg", "fs.mqueue.");
  private static final Set<String> UTS_NAMES = Set.of("kernel.hostname", "kernel.domainname");
  private static final String NET_PREFIX = "net.";
  /** Per-interface trees; an entry below them names an interface unless it is all/default/lo. */
  private static final List<String> INTERFACE_TREES = List.of(
      "net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.", "net.ipv6.neigh.");
  private static final Set<String> NOT_AN_INTERFACE = Set.of("all", "default", "lo");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-/:+@]+");

  /**
   * Validates a pod's {@code linux.sysctls} against the namespaces it owns, in a stable (sorted)
   * order.
   *
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT naming the first bad sysctl
   */
  public List<Sysctl> validate(Map<String, String> sysctls, boolean podNet, boolean podIpc,
      boolean podUts) {
    List<Sysctl> out = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(sysctls).entrySet()) {
      out.add(validateOne(e.getKey(), e.getValue(), podNet, podIpc, podUts));
    }
    return out;
  }

  Sysctl validateOne(String rawName, String value, boolean podNet, boolean podIpc, boolean podUts) {
    String field = "config.linux.sysctls[" + rawName + "]";
    if (rawName.isEmpty() || !NAME.matcher(rawName).matches()) {
      throw Errors.invalidArgument(field + ": not a valid sysctl name");
    }
    String name = canonicalName(rawName);
    String path = procPath(name);
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw Errors.invalidArgument(field + ": not a valid sysctl name");
      }
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
      throw Errors.invalidArgument(field + ": value must be one line");
    }
    if (name.startsWith(NET_PREFIX)) {
      if (!podNet) {
        throw Errors.invalidArgument(field + ": sysctl " + name
            + " is not allowed with namespace_options.network=NODE (it would change the host)");
      }
      return new Sysctl(name, value, NamespaceKind.NET, path, namesInterface(name));
    }
    if (IPC_NAMES.contains(name) || IPC_PREFIXES.stream().anyMatch(name::startsWith)) {
      if (!podIpc) {
        throw Errors.invalidArgument(field + ": sysctl " + name
            + " is not allowed with namespace_options.ipc=NODE (it would change the host)");
      }
      return new Sysctl(name, value, NamespaceKind.IPC, path, false);
    }
    if (UTS_NAMES.contains(name)) {
      if (!podUts) {
        throw Errors.invalidArgument(field + ": sysctl " + name
            + " is not allowed in a pod that shares the host's UTS namespace (host network)");
      }
      return new Sysctl(name, value, NamespaceKind.UTS, path, false);
    }
    throw Errors.invalidArgument(field + ": sysctl " + name
        + " is not namespaced (or unknown) and cannot be set for a pod");
  }

  /**
   * Kubernetes accepts names written with '/' as the separator (so a dot can appear inside an
   * interface name, {@code net/ipv4/conf/eth0.100/forwarding}). The canonical form uses dots, with
   * the two separators swapped, as kubelet's NormalizeName does.
   */
  static String canonicalName(String raw) {
    int dot = raw.indexOf('.');
    int slash = raw.indexOf('/');
    if (slash >= 0 && (dot < 0 || slash < dot)) {
      return swapSeparators(raw);
    }
    return raw;
  }

  /** The file below /proc/sys: dots become slashes, a slash inside a segment becomes a dot. */
  static String procPath(String canonicalName) {
    return swapSeparators(canonicalName);
  }

  private static String swapSeparators(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c == '.' ? '/' : c == '/' ? '.' : c);
    }
    return b.toString();
  }

  private static boolean namesInterface(String name) {
    for (String tree : INTERFACE_TREES) {
      if (name.startsWith(tree)) {
        String rest = name.substring(tree.length());
        int end = rest.indexOf('.');
        String iface = end < 0 ? rest : rest.substring(0, end);
        return !NOT_AN_INTERFACE.contains(iface);
      }
    }
    return false;
  }
}
