package io.berth.sandbox.store;

import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.NamespaceOption;
import io.berth.cri.v1.PodSandboxConfig;

/**
 * What never changes after RunPodSandbox: the id, the request as kubelet sent it (labels and
 * annotations verbatim), when it was created, and where its files are.
 *
 * @param hostname the hostname the pod got (the request's, or a default when it was empty)
 * @param filesDir holds resolv.conf, hosts and hostname
 * @param shmDir the pod's /dev/shm tmpfs; empty when the pod uses the host's IPC namespace
 */
public record SandboxMetadata(
    String id,
    String name,
    long createdAtNanos,
    String runtimeHandler,
    String hostname,
    String filesDir,
    String shmDir,
    PodSandboxConfig config) {

  public NamespaceOption namespaceOptions() {
    return config.getLinux().getSecurityContext().getNamespaceOptions();
  }

  public boolean hostNetwork() {
    return namespaceOptions().getNetwork() == NamespaceMode.NODE;
  }

  public boolean hostIpc() {
    return namespaceOptions().getIpc() == NamespaceMode.NODE;
  }

  public boolean sharedPid() {
    return namespaceOptions().getPid() == NamespaceMode.POD;
  }
}
