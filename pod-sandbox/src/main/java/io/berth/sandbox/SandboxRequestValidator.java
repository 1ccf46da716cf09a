package io.berth.sandbox;

import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.NamespaceOption;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxMetadata;
import io.berth.cri.v1.PortMapping;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.sandbox.cni.PortMappingArg;
import io.berth.sandbox.files.ResolvConf;
import io.berth.sandbox.ns.NamespaceKind;
import io.berth.sandbox.ns.Sysctl;
import io.berth.sandbox.ns.SysctlPolicy;
import io.berth.sandbox.store.NameRegistrar;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a RunPodSandboxRequest before anything is created and turns it into a plan: which
 * namespaces to pin, which sysctls to write when, which ports to map. Every refusal is a gRPC
 * status naming the request field.
 */
final class SandboxRequestValidator {
  /** A checked request. */
  record Plan(
      PodSandboxConfig config,
      String name,
      String runtimeHandler,
      boolean hostNetwork,
      boolean hostIpc,
      boolean sharedPid,
      Set<NamespaceKind> namespaces,
      List<Sysctl> sysctlsAtPin,
      List<Sysctl> sysctlsAfterNetwork,
      List<PortMappingArg> portMappings) {}

  private static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern HEX_COLON = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final int HOST_NAME_MAX = 64;
  private static final String NS_FIELD = "config.linux.security_context.namespace_options";

  private final Set<String> runtimeHandlers;
  private final SysctlPolicy sysctlPolicy;
  private final boolean infraAvailable;

  SandboxRequestValidator(Set<String> runtimeHandlers, SysctlPolicy sysctlPolicy, boolean infraAvailable) {
    this.runtimeHandlers = Set.copyOf(runtimeHandlers);
    this.sysctlPolicy = sysctlPolicy;
    this.infraAvailable = infraAvailable;
  }

  Plan validate(RunPodSandboxRequest request) {
    if (!request.hasConfig()) {
      throw Errors.invalidArgument("config is required");
    }
    PodSandboxConfig config = request.getConfig();
    String handler = request.getRuntimeHandler();
    if (!handler.isEmpty() && !runtimeHandlers.contains(handler)) {
      throw Errors.invalidArgument("runtime_handler \"" + handler + "\" is unknown; configured handlers: "
          + new java.util.TreeSet<>(runtimeHandlers));
    }
    if (!config.hasMetadata()) {
      throw Errors.invalidArgument("config.metadata is required");
    }
    PodSandboxMetadata md = config.getMetadata();
    requireNonEmpty(md.getName(), "config.metadata.name");
    requireNonEmpty(md.getNamespace(), "config.metadata.namespace");
    requireNonEmpty(md.getUid(), "config.metadata.uid");

    NamespaceOption ns = config.getLinux().getSecurityContext().getNamespaceOptions();
    NamespaceMode network = ns.getNetwork();
    NamespaceMode ipc = ns.getIpc();
    NamespaceMode pid = ns.getPid();
    if (network != NamespaceMode.POD && network != NamespaceMode.NODE) {
      throw Errors.invalidArgument(NS_FIELD + ".network: " + network + " is not supported for a pod (POD or NODE)");
    }
    if (ipc != NamespaceMode.POD && ipc != NamespaceMode.NODE) {
      throw Errors.invalidArgument(NS_FIELD + ".ipc: " + ipc + " is not supported for a pod (POD or NODE)");
    }
    if (pid == NamespaceMode.TARGET || pid == NamespaceMode.UNRECOGNIZED) {
      throw Errors.invalidArgument(NS_FIELD + ".pid: " + pid + " is not supported for a pod (POD, CONTAINER or NODE)");
    }
    if (ns.hasUsernsOptions() && ns.getUsernsOptions().getMode() == NamespaceMode.POD) {
      throw Errors.unimplemented(NS_FIELD + ".userns_options: pod user namespaces are not supported by berth");
    }
    boolean hostNetwork = network == NamespaceMode.NODE;
    boolean hostIpc = ipc == NamespaceMode.NODE;
    boolean sharedPid = pid == NamespaceMode.POD;
    if (sharedPid && !infraAvailable) {
      throw Errors.unimplemented(NS_FIELD + ".pid: POD (a PID namespace shared by the pod's containers) "
          + "needs a pod infra process, which this berth build does not provide yet; use CONTAINER or NODE");
    }

    String hostname = config.getHostname();
    if (hostname.length() > HOST_NAME_MAX
        || hostname.chars().anyMatch(c -> c <= ' ' || c == '/' || c == 127)) {
      throw Errors.invalidArgument("config.hostname \"" + hostname
          + "\" must be at most " + HOST_NAME_MAX + " characters without whitespace, control characters or '/'");
    }
    if (config.hasDnsConfig()) {
      ResolvConf.validate(config.getDnsConfig());
    }
    List<PortMappingArg> ports = portMappings(config.getPortMappingsList());

    Set<NamespaceKind> kinds = EnumSet.noneOf(NamespaceKind.class);
    if (!hostNetwork) {
      // A host-network pod also keeps the host's UTS namespace (its hostname is the node's).
      kinds.add(NamespaceKind.NET);
      kinds.add(NamespaceKind.UTS);
    }
    if (!hostIpc) {
      kinds.add(NamespaceKind.IPC);
    }
    List<Sysctl> sysctls = sysctlPolicy.validate(config.getLinux().getSysctlsMap(),
        kinds.contains(NamespaceKind.NET), kinds.contains(NamespaceKind.IPC), kinds.contains(NamespaceKind.UTS));
    List<Sysctl> atPin = new ArrayList<>();
    List<Sysctl> afterNetwork = new ArrayList<>();
    for (Sysctl s : sysctls) {
      (s.afterNetworkSetup() ? afterNetwork : atPin).add(s);
    }
    String name = NameRegistrar.sandboxName(md.getName(), md.getNamespace(), md.getUid(), md.getAttempt());
    return new Plan(config, name, handler, hostNetwork, hostIpc, sharedPid, kinds, atPin, afterNetwork, ports);
  }

  private static List<PortMappingArg> portMappings(List<PortMapping> mappings) {
    List<PortMappingArg> out = new ArrayList<>();
    for (int i = 0; i < mappings.size(); i++) {
      PortMapping m = mappings.get(i);
      String field = "config.port_mappings[" + i + "]";
      if (m.getHostPort() < 0 || m.getHostPort() > 65535) {
        throw Errors.invalidArgument(field + ".host_port " + m.getHostPort() + " is outside 0-65535");
      }
      if (m.getContainerPort() < 0 || m.getContainerPort() > 65535
          || (m.getHostPort() > 0 && m.getContainerPort() == 0)) {
        throw Errors.invalidArgument(field + ".container_port " + m.getContainerPort() + " is outside 1-65535");
      }
      if (!m.getHostIp().isEmpty() && !isIpLiteral(m.getHostIp())) {
        throw Errors.invalidArgument(field + ".host_ip \"" + m.getHostIp() + "\" is not an IP address");
      }
      String protocol = switch (m.getProtocol()) {
        case TCP -> "tcp";
        case UDP -> "udp";
        case SCTP -> "sctp";
        default -> throw Errors.invalidArgument(field + ".protocol " + m.getProtocol() + " is unknown");
      };
      out.add(new PortMappingArg(m.getHostPort(), m.getContainerPort(), protocol, m.getHostIp()));
    }
    return out;
  }

  /** An IPv4 or IPv6 literal; never a name (no DNS lookup happens here). */
  static boolean isIpLiteral(String s) {
    if (IPV4.matcher(s).matches()) {
      return true;
    }
    if (s.indexOf(':') < 0 || !HEX_COLON.matcher(s).matches()) {
      return false;
    }
    try {
      // With a colon and only hex digits, InetAddress parses a literal and never resolves a name.
      java.net.InetAddress.getByName(s);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static void requireNonEmpty(String value, String field) {
    if (value.isEmpty()) {
      throw Errors.invalidArgument(field + " is required");
    }
  }
}
