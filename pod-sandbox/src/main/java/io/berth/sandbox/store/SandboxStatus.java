package io.berth.sandbox.store;

import io.berth.sandbox.ns.NamespaceKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What changes during a sandbox's life; replaced as a whole on every update.
 *
 * @param pins the pinned namespace files, by kind (kinds shared with the host are absent)
 * @param ips the pod's addresses, primary first; empty for host-network pods and after stop
 * @param infraPid the process holding a shared PID namespace; 0 when there is none
 * @param networkReleased true once CNI DEL succeeded (stop ran), so remove does not run it again
 */
public record SandboxStatus(
    SandboxState state,
    Map<NamespaceKind, String> pins,
    List<String> ips,
    long infraPid,
    boolean networkReleased) {
  public SandboxStatus {
    pins = pins == null || pins.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(pins));
    ips = ips == null ? List.of() : List.copyOf(ips);
  }

  public static SandboxStatus creating() {
    return new SandboxStatus(SandboxState.CREATING, Map.of(), List.of(), 0, false);
  }

  public SandboxStatus withState(SandboxState s) {
    return new SandboxStatus(s, pins, ips, infraPid, networkReleased);
  }

  public SandboxStatus withPins(Map<NamespaceKind, String> p) {
    return new SandboxStatus(state, p, ips, infraPid, networkReleased);
  }

  public SandboxStatus withIps(List<String> i) {
    return new SandboxStatus(state, pins, i, infraPid, networkReleased);
  }

  public SandboxStatus withInfraPid(long pid) {
    return new SandboxStatus(state, pins, ips, pid, networkReleased);
  }

  public SandboxStatus withNetworkReleased(boolean released) {
    return new SandboxStatus(state, pins, ips, infraPid, released);
  }
}
