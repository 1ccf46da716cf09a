package io.berth.sandbox;

import io.berth.cri.v1.ContainerStatus;
import java.io.IOException;
import java.util.List;

/**
 * The containers of a pod, as far as the sandbox lifecycle needs them. Implemented by the
 * container service; the sandbox engine calls it so that StopPodSandbox stops every container and
 * RemovePodSandbox removes them, as the CRI requires.
 */
public interface PodContainers {
  /** Stops every container of the sandbox (kill, wait). Idempotent. */
  void stopAll(String sandboxId) throws IOException;

  /**
   * Removes every container of the sandbox and returns once they (and any removed just before)
   * have left the host: no runtime state, cgroup or mount of theirs is left. Idempotent.
   */
  void removeAll(String sandboxId) throws IOException;

  /** Statuses for PodSandboxStatusResponse.containers_statuses; empty by default. */
  default List<ContainerStatus> statuses(String sandboxId) {
    return List.of();
  }

  /** A pod without containers (before the container service exists, and in tests). */
  static PodContainers none() {
    return new PodContainers() {
      @Override
      public void stopAll(String sandboxId) {}

      @Override
      public void removeAll(String sandboxId) {}
    };
  }
}
