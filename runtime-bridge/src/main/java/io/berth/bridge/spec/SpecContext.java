package io.berth.bridge.spec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the spec builder needs besides the CRI configs and the image config: decided by the sandbox
 * and image layers, resolved on the host before the spec is built.
 *
 * @param rootfs the mounted root filesystem (written as an absolute {@code root.path})
 * @param hostname the pod's hostname; written as {@code hostname} only when the container gets a
 *     UTS namespace of its own (a joined pod namespace already carries it) and as {@code HOSTNAME}
 * @param etcHostname host file bound at /etc/hostname, or null
 * @param etcHosts host file bound at /etc/hosts, or null
 * @param resolvConf host file bound at /etc/resolv.conf, or null
 * @param devShm host directory bound at /dev/shm (the pod's shm, or /dev/shm for host IPC); null
 *     keeps a private tmpfs
 * @param cgroupParent the pod's cgroup parent (cgroupfs path or systemd slice), or null for the
 *     runtime's default placement
 * @param user the uid/gid resolved from the image's /etc/passwd and /etc/group ({@link UserResolver})
 * @param pidsLimit the container's pids limit, or null for none (never written as -1)
 */
public record SpecContext(
    String containerId,
    String sandboxId,
    String imageName,
    Path rootfs,
    PodNamespaces namespaces,
    String hostname,
    Path etcHostname,
    Path etcHosts,
    Path resolvConf,
    Path devShm,
    String cgroupParent,
    CgroupDriver cgroupDriver,
    ResolvedUser user,
    Long pidsLimit,
    HostFacts host) {

  public SpecContext {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(rootfs, "rootfs");
    Objects.requireNonNull(namespaces, "namespaces");
    Objects.requireNonNull(cgroupDriver, "cgroupDriver");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
    sandboxId = sandboxId == null ? "" : sandboxId;
    imageName = imageName == null ? "" : imageName;
    hostname = hostname == null ? "" : hostname;
  }
}
