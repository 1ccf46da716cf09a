package io.berth.cli.bench;

import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerMetadata;
import io.berth.cri.v1.CreateContainerRequest;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.RemoveContainerRequest;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.cri.v1.StartContainerRequest;
import io.berth.cri.v1.StopContainerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CreateContainer, StartContainer, StopContainer, RemoveContainer, in one pod per worker created in
 * setup (not measured), as kubelet runs containers in an existing sandbox.
 */
final class ContainerLifecycleScenario implements BenchScenario {
    private final BenchRpc rpc;
    private final PodSandboxConfig podTemplate;
    private final ContainerConfig template;
    private final String runtimeHandler;
    private final long stopTimeoutSeconds;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> pods = new ArrayList<>();
    private final List<PodSandboxConfig> podConfigs = new ArrayList<>();
    private final Set<String> liveContainers = ConcurrentHashMap.newKeySet();

    ContainerLifecycleScenario(BenchRpc rpc, PodSandboxConfig podTemplate, ContainerConfig template,
                               String runtimeHandler, long stopTimeoutSeconds) {
        this.rpc = rpc;
        this.podTemplate = podTemplate;
        this.template = template;
        this.runtimeHandler = runtimeHandler;
        this.stopTimeoutSeconds = stopTimeoutSeconds;
    }

    @Override
    public String name() {
        return "container";
    }

    @Override
    public List<String> phases() {
        return List.of("CreateContainer", "StartContainer", "StopContainer", "RemoveContainer");
    }

    @Override
    public void setup(int workers) {
        for (int w = 0; w < workers; w++) {
            PodSandboxConfig config = PodLifecycleScenario.podConfig(podTemplate, runId, w);
            String id = rpc.runtime("RunPodSandbox", s -> s.runPodSandbox(RunPodSandboxRequest.newBuilder()
                    .setConfig(config).setRuntimeHandler(runtimeHandler).build())).getPodSandboxId();
            pods.add(id);
            podConfigs.add(config);
        }
    }

    @Override
    public void iteration(int worker, int index, PhaseRecorder recorder) {
        String pod = pods.get(worker);
        ContainerConfig config = template.toBuilder().setMetadata(ContainerMetadata.newBuilder()
                .setName((template.getMetadata().getName().isEmpty() ? "bench" : template.getMetadata().getName())
                        + "-" + index)).build();
        String id = recorder.time("CreateContainer", () -> rpc.runtime("CreateContainer", s -> s.createContainer(
                CreateContainerRequest.newBuilder().setPodSandboxId(pod).setConfig(config)
                        .setSandboxConfig(podConfigs.get(worker)).build()))).getContainerId();
        liveContainers.add(id);
        recorder.time("StartContainer", () -> rpc.runtime("StartContainer", s -> s.startContainer(
                StartContainerRequest.newBuilder().setContainerId(id).build())));
        recorder.time("StopContainer", () -> rpc.runtime("StopContainer", s -> s.stopContainer(
                StopContainerRequest.newBuilder().setContainerId(id).setTimeout(stopTimeoutSeconds).build())));
        recorder.time("RemoveContainer", () -> rpc.runtime("RemoveContainer", s -> s.removeContainer(
                RemoveContainerRequest.newBuilder().setContainerId(id).build())));
        liveContainers.remove(id);
    }

    @Override
    public void teardown() {
        for (String id : liveContainers) {
            try {
                rpc.runtime("RemoveContainer", s -> s.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build()));
            } catch (RuntimeException ignored) {
                // the pod removal below takes it along
            }
        }
        for (String pod : pods) {
            PodLifecycleScenario.cleanupPod(rpc, pod);
        }
        pods.clear();
    }
}
