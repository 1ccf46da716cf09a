package io.berth.sandbox.store;

import io.berth.cri.v1.PodSandboxState;

/**
 * A sandbox's lifecycle state. CREATING is written before any host resource is made, so a crash
 * during RunPodSandbox leaves a record (shown as NOTREADY) whose stop/remove frees what was made.
 */
public enum SandboxState {
  CREATING,
  READY,
  NOTREADY;

  public PodSandboxState toCri() {
    return this == READY ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
  }
}
