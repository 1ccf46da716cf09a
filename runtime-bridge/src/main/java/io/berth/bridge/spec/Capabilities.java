package io.berth.bridge.spec;

import io.berth.bridge.Errors;
import io.berth.bridge.spec.oci.Oci;
import io.berth.cri.v1.Capability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Capability sets the way containerd computes them: its default set, then {@code ALL} in add or
 * drop, then the individual adds and drops; privileged means every capability. Unlike containerd,
 * the result is always cut to the host's bounding set: asking a runtime for a capability the host
 * lacks (CAP_SYS_RESOURCE on this VM) makes container creation fail.
 */
public final class Capabilities {
  private Capabilities() {}

  /** Every capability Linux 6.x knows, indexed by its number. */
  public static final List<String> ALL = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
      "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
      "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
      "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
      "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
      "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
      "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
      "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
      "CAP_CHECKPOINT_RESTORE");

  /** containerd's (and Docker's) default set for unprivileged containers. */
  public static final List<String> DEFAULT = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
      "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
      "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  /** The names of the bits set in a capability mask such as CapBnd of /proc/self/status. */
  public static Set<String> fromMask(long mask) {
    Set<String> names = new LinkedHashSet<>();
    for (int bit = 0; bit < ALL.size(); bit++) {
      if ((mask & (1L << bit)) != 0) {
        names.add(ALL.get(bit));
      }
    }
    return names;
  }

  /**
   * Normalises a CRI capability name: kubelet sends {@code NET_ADMIN}, other clients
   * {@code CAP_NET_ADMIN}; both, any case, are accepted.
   */
  public static String normalize(String name, String field) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    String full = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    if (!ALL.contains(full)) {
      throw Errors.invalidArgument(field + ": unknown capability \"" + name + "\"");
    }
    return full;
  }

  /** The process capability sets for a container. */
  public static Oci.Capabilities compute(Capability requested, boolean privileged, Set<String> hostBounding) {
    Set<String> base = new LinkedHashSet<>();
    Set<String> ambient = new LinkedHashSet<>();
    if (privileged) {
      base.addAll(ALL);
    } else {
      base.addAll(DEFAULT);
      if (containsAll(requested.getAddCapabilitiesList())) {
        base.addAll(ALL);
      }
      if (containsAll(requested.getDropCapabilitiesList())) {
        base.clear();
      }
      for (String c : requested.getAddCapabilitiesList()) {
        if (!isAll(c)) {
          base.add(normalize(c, "linux.security_context.capabilities.add_capabilities"));
        }
      }
      for (String c : requested.getAddAmbientCapabilitiesList()) {
        String cap = normalize(c, "linux.security_context.capabilities.add_ambient_capabilities");
        base.add(cap);
        ambient.add(cap);
      }
      for (String c : requested.getDropCapabilitiesList()) {
        if (!isAll(c)) {
          String cap = normalize(c, "linux.security_context.capabilities.drop_capabilities");
          base.remove(cap);
          ambient.remove(cap);
        }
      }
    }
    base.retainAll(hostBounding);
    ambient.retainAll(hostBounding);
    List<String> sets = sorted(base);
    List<String> amb = sorted(ambient);
    // Inheritable stays empty (CVE-2022-24769) unless ambient capabilities need it.
    return new Oci.Capabilities(sets, sets, amb, sets, amb);
  }

  private static boolean containsAll(List<String> names) {
    return names.stream().anyMatch(Capabilities::isAll);
  }

  private static boolean isAll(String name) {
    return name.trim().equalsIgnoreCase("ALL");
  }

  private static List<String> sorted(Set<String> caps) {
    TreeSet<String> byNumber = new TreeSet<>(Comparator.comparingInt(ALL::indexOf));
    byNumber.addAll(caps);
    return new ArrayList<>(byNumber);
  }
}
