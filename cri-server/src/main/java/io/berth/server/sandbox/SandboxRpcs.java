package io.berth.server.sandbox;

import io.berth.cri.v1.RuntimeServiceGrpc;
import io.berth.sandbox.PodSandboxManager;
import io.berth.server.grpc.CriServiceBuilder;

/** The sandbox RPCs of RuntimeService, served by the pod-sandbox engine. */
public final class SandboxRpcs {
  private SandboxRpcs() {}

  public static void register(CriServiceBuilder runtime, PodSandboxManager sandboxes) {
    runtime.unary("RunPodSandbox", RuntimeServiceGrpc::getRunPodSandboxMethod, sandboxes::runPodSandbox)
        .unary("StopPodSandbox", RuntimeServiceGrpc::getStopPodSandboxMethod, sandboxes::stopPodSandbox)
        .unary("RemovePodSandbox", RuntimeServiceGrpc::getRemovePodSandboxMethod, sandboxes::removePodSandbox)
        .unary("PodSandboxStatus", RuntimeServiceGrpc::getPodSandboxStatusMethod, sandboxes::podSandboxStatus)
        .unary("ListPodSandbox", RuntimeServiceGrpc::getListPodSandboxMethod, sandboxes::listPodSandbox);
  }
}
