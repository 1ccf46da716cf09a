package io.berth.sandbox.cni;

import java.util.List;

/**
 * What the runtime knows about a pod when it sets up or tears down its network: the sandbox id is
 * the CNI container id; the pod identity goes into CNI_ARGS as Kubernetes runtimes do.
 *
 * @param netnsPath the pinned network namespace; empty on teardown when it is gone
 */
public record PodNetworkRequest(String sandboxId, String netnsPath, String podNamespace,
    String podName, String podUid, List<PortMappingArg> portMappings) {
  public PodNetworkRequest {
    portMappings = List.copyOf(portMappings);
  }
}
