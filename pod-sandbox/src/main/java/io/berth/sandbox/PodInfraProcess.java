package io.berth.sandbox;

import io.berth.cri.v1.PodSandboxConfig;
import io.berth.sandbox.ns.PodNamespaces;
import java.io.IOException;

/**
 * The one process a pod needs only when its containers share a PID namespace
 * ({@code namespace_options.pid == POD}): a tiny init (catatonit, or the pause image) started in
 * the pod's pinned namespaces whose PID namespace the containers join via
 * {@code /proc/<pid>/ns/pid}. Pods without a shared PID namespace run no process at all.
 */
public interface PodInfraProcess {
  /** False when no implementation is configured; such pods are then refused with UNIMPLEMENTED. */
  boolean available();

  /**
   * Starts the init in a new PID namespace, joined to {@code namespaces}, and returns its PID
   * (on the host). It must outlive a berthd restart.
   */
  long start(String sandboxId, PodNamespaces namespaces, PodSandboxConfig config) throws IOException;

  /** Whether the init started for this sandbox is still running (checked after a berthd restart). */
  boolean isAlive(String sandboxId, long pid);

  /** Stops and reaps the init; idempotent (an already gone process is fine). */
  void stop(String sandboxId, long pid) throws IOException;

  /** No infra process: shared-PID pods are refused until the container work provides one. */
  static PodInfraProcess unavailable() {
    return new PodInfraProcess() {
      @Override
      public boolean available() {
        return false;
      }

      @Override
      public long start(String sandboxId, PodNamespaces namespaces, PodSandboxConfig config) {
        throw new UnsupportedOperationException("no pod infra process configured");
      }

      @Override
      public boolean isAlive(String sandboxId, long pid) {
        return false;
      }

      @Override
      public void stop(String sandboxId, long pid) {}
    };
  }
}
