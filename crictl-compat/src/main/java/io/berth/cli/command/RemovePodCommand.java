package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.PodSandbox;
import io.berth.cri.v1.PodSandboxState;
import io.berth.cri.v1.PodSandboxStatusRequest;
import io.berth.cri.v1.PodSandboxStatusResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rmp", description = "Remove one or more pods")
public final class RemovePodCommand extends CriCommand {
    @Option(names = {"-f", "--force"}, description = "Force removal of the pod sandbox, disregarding if running")
    boolean force;

    @Option(names = {"-a", "--all"}, description = "Remove all pods")
    boolean all;

    @Parameters(arity = "0..*", paramLabel = "POD-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        Aggregate.forEachTarget(s, ids, all,
                () -> rpc(s, "", () -> s.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()))
                        .getItemsList().stream().map(PodSandbox::getId).toList(),
                "No pods to remove", id -> remove(s, id));
    }

    private void remove(Session s, String id) {
        PodSandboxStatusResponse r = rpc(s, "getting sandbox status of pod " + q(id),
                () -> s.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build()));
        if (r.getStatus().getState() == PodSandboxState.SANDBOX_READY) {
            if (!force) {
                throw fail("pod sandbox " + q(id) + " is running, please stop it first");
            }
            PodLifecycle.stop(s, "stopping the pod sandbox " + q(id) + " failed", id);
        }
        PodLifecycle.remove(s, "removing the pod sandbox " + q(id), id);
    }
}
