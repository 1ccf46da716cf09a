package io.berth.cli.bench;

import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxMetadata;
import io.berth.cri.v1.RemovePodSandboxRequest;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.cri.v1.StopPodSandboxRequest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** RunPodSandbox, then StopPodSandbox and RemovePodSandbox: a pod's whole life, as kubelet drives it. */
final class PodLifecycleScenario implements BenchScenario {
    private final BenchRpc rpc;
    private final PodSandboxConfig template;
    private final String runtimeHandler;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    /** Pods created and not yet removed, cleaned up in teardown if an iteration failed half-way. */
    private final Set<String> live = ConcurrentHashMap.newKeySet();

    PodLifecycleScenario(BenchRpc rpc, PodSandboxConfig template, String runtimeHandler) {
        this.rpc = rpc;
        this.template = template;
        this.runtimeHandler = runtimeHandler;
    }

    @Override
    public String name() {
        return "pod";
    }

    @Override
    public List<String> phases() {
        return List.of("RunPodSandbox", "StopPodSandbox", "RemovePodSandbox");
    }

    static PodSandboxConfig podConfig(PodSandboxConfig template, String runId, int index) {
        PodSandboxMetadata meta = template.getMetadata().toBuilder()
                .setName((template.getMetadata().getName().isEmpty() ? "bench" : template.getMetadata().getName())
                        + "-" + runId + "-" + index)
                .setNamespace(template.getMetadata().getNamespace().isEmpty() ? "berth-bench"
                        : template.getMetadata().getNamespace())
                .setUid(UUID.randomUUID().toString())
                .build();
        return template.toBuilder().setMetadata(meta).build();
    }

    @Override
    public void iteration(int worker, int index, PhaseRecorder recorder) {
        PodSandboxConfig config = podConfig(template, runId, index);
        String id = recorder.time("RunPodSandbox", () -> rpc.runtime("RunPodSandbox", s -> s.runPodSandbox(
                RunPodSandboxRequest.newBuilder().setConfig(config).setRuntimeHandler(runtimeHandler).build())))
                .getPodSandboxId();
        live.add(id);
        recorder.time("StopPodSandbox", () -> rpc.runtime("StopPodSandbox", s -> s.stopPodSandbox(
                StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build())));
        recorder.time("RemovePodSandbox", () -> rpc.runtime("RemovePodSandbox", s -> s.removePodSandbox(
                RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build())));
        live.remove(id);
    }

    @Override
    public void teardown() {
        for (String id : live) {
            cleanupPod(rpc, id);
        }
        live.clear();
    }

    static void cleanupPod(BenchRpc rpc, String id) {
        try {
            rpc.runtime("StopPodSandbox", s -> s.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
        } catch (RuntimeException ignored) {
            // removal below is what matters
        }
        try {
            rpc.runtime("RemovePodSandbox", s -> s.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
        } catch (RuntimeException ignored) {
            // best effort: the run's report already counts the failure
        }
    }
}
