package io.berth.bridge.spec;

import java.util.Objects;

/**
 * The namespaces a container joins or creates, decided by the sandbox layer from the pod's and the
 * container's {@code NamespaceOption}s. The mount namespace is always the container's own.
 */
public record PodNamespaces(NamespaceRef network, NamespaceRef ipc, NamespaceRef uts, NamespaceRef pid) {
  public PodNamespaces {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(ipc, "ipc");
    Objects.requireNonNull(uts, "uts");
    Objects.requireNonNull(pid, "pid");
  }

  /** Host network, everything else private: what the runtime-bridge integration tests use. */
  public static PodNamespaces hostNetworkOnly() {
    return new PodNamespaces(NamespaceRef.host(), NamespaceRef.fresh(), NamespaceRef.fresh(), NamespaceRef.fresh());
  }
}
