package io.berth.cli.it;

import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.PushedImages;
import io.berth.testing.RegistryFixture;
import io.berth.testing.RequiresHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * berthctl's commands as an operator runs them (pull, images, inspecti, imagefsinfo, runp with JSON and
 * YAML configs, pods and its filters, inspectp, create, start, ps and its filters, inspect, logs, stats,
 * stop, rm, stopp, rmp, run, rmp -a -f, rmi, and errors) against a real berthd and against Debian's
 * containerd 1.6: berthctl is a generic CRI client. Outputs are checked for crictl's format and for
 * what the runtime reports over CRI (see {@link CommandSequence}).
 */
@ExtendWith(BerthExtension.class)
@RequiresHost({Requirement.ROOT, Requirement.CRUN, Requirement.RUNC, Requirement.BERTH_MONITOR, Requirement.CNI_PLUGINS,
    Requirement.HUGETLB_V1, Requirement.DOCKER_REGISTRY})
class BerthctlCommandsIT {
    @TempDir
    Path tmp;

    @Test
    void berthdAnswersEveryCommandInCrictlsFormat(RegistryFixture registry) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("berth"));
        try (CniTestNetwork network = new CniTestNetwork(dir, "berthcli", "berthcli0", "10.213.81.");
             BerthdProcess berthd = BerthdProcess.builder().registry(registry).extraToml(network.berthdToml()).start()) {
            try {
                new CommandSequence(new CommandSequence.Target(berthd.endpoint(), PushedImages.BUSYBOX,
                        "docker.io/library/busybox", "latest", network.subnetPrefix, dir)).run();
            } catch (AssertionError | RuntimeException e) {
                e.addSuppressed(new AssertionError("berthd log tail:\n" + berthd.logTail(60)));
                throw e;
            }
        }
    }

    @Test
    void containerdAnswersTheSameCommandsInCrictlsFormat(RegistryFixture registry, PushedImages pushed) throws Exception {
        PrivateContainerd.requireBinary();
        Path dir = Files.createDirectories(tmp.resolve("ctrd"));
        CniTestNetwork network = new CniTestNetwork(dir, "berthcli-ctrd", "berthcli1", "10.213.82.");
        try (PrivateContainerd containerd = PrivateContainerd.start(dir, registry.hostPort(), pushed.direct("pause:3.10"), network)) {
            try {
                // through the registry's own host:port (plain http via hosts.toml), as one pulls from a private registry
                new CommandSequence(new CommandSequence.Target(containerd.endpoint(), pushed.direct("busybox:latest"),
                        registry.hostPort() + "/busybox", "latest", network.subnetPrefix, dir)).run();
            } catch (AssertionError | RuntimeException e) {
                e.addSuppressed(new AssertionError("containerd log tail:\n" + containerd.logTail()));
                throw e;
            }
        }
    }
}
