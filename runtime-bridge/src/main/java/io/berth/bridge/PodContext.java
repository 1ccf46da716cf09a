package io.berth.bridge;

import io.berth.bridge.spec.PodNamespaces;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the sandbox layer knows about the pod a container joins (see {@code SpecContext} for each
 * field's meaning): its namespaces, hostname, the host files bound at /etc/hostname, /etc/hosts,
 * /etc/resolv.conf and /dev/shm (null: none), its cgroup parent, and a pids limit (null: none).
 */
public record PodContext(PodNamespaces namespaces, String hostname, Path etcHostname, Path etcHosts,
    Path resolvConf, Path devShm, String cgroupParent, Long pidsLimit) {
  public PodContext {
    Objects.requireNonNull(namespaces, "namespaces");
  }
}
