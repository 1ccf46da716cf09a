package io.berth.bridge;

import io.berth.bridge.oci.RuntimeHandler;
import io.berth.bridge.spec.HostFacts;
import io.berth.bridge.spec.ImageConfig;
import io.berth.bridge.spec.LinuxHostView;
import io.berth.bridge.spec.PodNamespaces;
import io.berth.bridge.state.ContainerRecord;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerMetadata;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.os.Linux;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A stand-in daemon for the JVM-death test: in a JVM of its own it creates and starts one ticking
 * container, prints its id, and waits to be killed.
 *
 * <p>Arguments: stateRoot runtimeRoot crun|runc busyboxDir logPath cgroupParent containerId monitorBinary
 */
public final class EngineChild {
  private EngineChild() {}

  public static void main(String[] args) throws Exception {
    Path stateRoot = Path.of(args[0]);
    Path runtimeRoot = Path.of(args[1]);
    RuntimeHandler h = args[2].equals("runc") ? RuntimeHandler.runc(runtimeRoot.resolve("runc"))
        : RuntimeHandler.crun(runtimeRoot.resolve("crun"));
    EngineConfig standard = EngineConfig.standard(stateRoot, runtimeRoot);
    EngineConfig config = new EngineConfig(standard.containersDir(), Map.of(h.name(), h), h.name(),
        standard.monitor().withBinary(Path.of(args[7])),
        standard.cgroupDriver());
    ContainerEngine engine = new ContainerEngine(config, HostFacts.probe(), new LinuxHostView(), Linux.load());
    ContainerConfig.Builder c = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName("orphan"))
        .addCommand("/bin/sh").addArgs("-c")
        .addArgs("i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done");
    PodContext pod = new PodContext(PodNamespaces.hostNetworkOnly(), "child", null, null, null, null,
        "/" + args[5], null);
    ContainerRecord r = engine.create(new CreateRequest(args[6], "sandbox", "", c.build(),
        PodSandboxConfig.getDefaultInstance(), new ImageConfig(List.of(), List.of(), List.of(), "/", "", ""),
        "busybox:it", List.of(Path.of(args[3])), Path.of(args[4]), pod));
    engine.start(r.id());
    System.out.println("STARTED " + r.id());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
