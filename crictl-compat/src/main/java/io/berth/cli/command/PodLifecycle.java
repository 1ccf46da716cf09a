package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.RemovePodSandboxRequest;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.cri.v1.StopPodSandboxRequest;
import java.time.Duration;

/** crictl's RunPodSandbox, StopPodSandbox and RemovePodSandbox helpers, with their deadlines and output. */
final class PodLifecycle {
    private PodLifecycle() {
    }

    /**
     * RunPodSandbox with twice the connection timeout, as the CRI client gives sandbox creation.
     * Returns the pod id.
     */
    static String run(Session s, String context, PodSandboxConfig config, String runtimeHandler, Duration timeout) {
        Duration base = timeout == null || timeout.isZero() ? s.timeout() : timeout;
        RunPodSandboxRequest req = RunPodSandboxRequest.newBuilder().setConfig(config)
                .setRuntimeHandler(runtimeHandler == null ? "" : runtimeHandler).build();
        return CriCommand.rpc(s, context, () -> s.runtime(base.multipliedBy(2)).runPodSandbox(req)).getPodSandboxId();
    }

    static void stop(Session s, String context, String id) {
        if (id.isEmpty()) {
            throw CriCommand.fail(context + ": ID cannot be empty");
        }
        s.log().debug("Stopping pod sandbox: " + id);
        CriCommand.rpc(s, context, () -> s.runtime().stopPodSandbox(
                StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
        s.out().print("Stopped sandbox " + id + "\n");
    }

    static void remove(Session s, String context, String id) {
        if (id.isEmpty()) {
            throw CriCommand.fail(context + ": ID cannot be empty");
        }
        s.log().debug("Removing pod sandbox: " + id);
        CriCommand.rpc(s, context, () -> s.runtime().removePodSandbox(
                RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
        s.out().print("Removed sandbox " + id + "\n");
    }
}
