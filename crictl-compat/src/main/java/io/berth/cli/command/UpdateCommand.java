package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cri.v1.LinuxContainerResources;
import io.berth.cri.v1.UpdateContainerResourcesRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", description = "Update one or more running containers")
public final class UpdateCommand extends CriCommand {
    @Option(names = "--cpu-count", defaultValue = "0", description = "(Windows only) Number of CPUs available to the container")
    long cpuCount;

    @Option(names = "--cpu-maximum", defaultValue = "0", description = "(Windows only) Portion of CPU cycles specified as a percentage * 100")
    long cpuMaximum;

    @Option(names = "--cpu-period", defaultValue = "0", description = "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default")
    long cpuPeriod;

    @Option(names = "--cpu-quota", defaultValue = "0", description = "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period")
    long cpuQuota;

    @Option(names = "--cpu-share", defaultValue = "0", description = "CPU shares (relative weight vs. other containers)")
    long cpuShare;

    @Option(names = "--memory", defaultValue = "0", description = "Memory limit (in bytes)")
    long memory;

    @Option(names = "--cpuset-cpus", defaultValue = "", description = "CPU(s) to use")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", defaultValue = "", description = "Memory node(s) to use")
    String cpusetMems;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (ids.isEmpty()) {
            throw fail("ID cannot be empty");
        }
        LinuxContainerResources linux = LinuxContainerResources.newBuilder()
                .setCpuPeriod(cpuPeriod).setCpuQuota(cpuQuota).setCpuShares(cpuShare)
                .setCpusetCpus(cpusetCpus).setCpusetMems(cpusetMems).setMemoryLimitInBytes(memory).build();
        for (String id : ids) {
            rpc(s, "updating container resources for " + q(id), () -> s.runtime().updateContainerResources(
                    UpdateContainerResourcesRequest.newBuilder().setContainerId(id).setLinux(linux).build()));
            s.out().print(id + "\n");
        }
    }
}
