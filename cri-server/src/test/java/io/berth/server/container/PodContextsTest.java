package io.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.bridge.PodContext;
import io.berth.bridge.spec.NamespaceRef;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.LinuxContainerConfig;
import io.berth.cri.v1.LinuxContainerSecurityContext;
import io.berth.cri.v1.LinuxPodSandboxConfig;
import io.berth.cri.v1.LinuxSandboxSecurityContext;
import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.NamespaceOption;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.sandbox.ns.NamespaceKind;
import io.berth.sandbox.store.Sandbox;
import io.berth.sandbox.store.SandboxMetadata;
import io.berth.sandbox.store.SandboxState;
import io.berth.sandbox.store.SandboxStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a container is placed in its pod's namespaces, for each of kubelet's namespace options. */
class PodContextsTest {
  private static final Map<NamespaceKind, String> PINS = Map.of(
      NamespaceKind.NET, "/run/berth/pins/p/net", NamespaceKind.IPC, "/run/berth/pins/p/ipc",
      NamespaceKind.UTS, "/run/berth/pins/p/uts");

  @Test
  void ordinaryPodJoinsThePinsAndGetsItsOwnPidNamespace() {
    PodContext c = PodContexts.of(sandbox(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.CONTAINER), PINS, 0),
        container(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.CONTAINER)), id -> () -> 1);
    assertEquals(NamespaceRef.join("/run/berth/pins/p/net"), c.namespaces().network());
    assertEquals(NamespaceRef.join("/run/berth/pins/p/ipc"), c.namespaces().ipc());
    assertEquals(NamespaceRef.join("/run/berth/pins/p/uts"), c.namespaces().uts());
    assertEquals(NamespaceRef.fresh(), c.namespaces().pid());
    assertEquals("/var/lib/berth/sandboxes/p/resolv.conf", c.resolvConf().toString());
    assertEquals("/run/berth/sandboxes/p/shm", c.devShm().toString());
    assertEquals("/kubepods/pod1", c.cgroupParent());
  }

  @Test
  void sharedPidJoinsThePodsInit() {
    PodContext c = PodContexts.of(sandbox(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.POD), PINS, 4242),
        container(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.POD)), id -> () -> 1);
    assertEquals(NamespaceRef.join("/proc/4242/ns/pid"), c.namespaces().pid());
  }

  @Test
  void hostNamespacesStayTheHosts() {
    PodContext c = PodContexts.of(
        sandbox(opts(NamespaceMode.NODE, NamespaceMode.NODE, NamespaceMode.NODE), Map.of(), 0),
        container(opts(NamespaceMode.NODE, NamespaceMode.NODE, NamespaceMode.NODE)), id -> () -> 1);
    assertEquals(NamespaceRef.host(), c.namespaces().network());
    assertEquals(NamespaceRef.host(), c.namespaces().uts(), "hostNetwork pods keep the node's hostname");
    assertEquals(NamespaceRef.host(), c.namespaces().ipc());
    assertEquals(NamespaceRef.host(), c.namespaces().pid());
    assertNull(c.devShm(), "hostIPC: the node's /dev/shm");
  }

  @Test
  void targetJoinsAnotherContainersPidNamespace() {
    NamespaceOption target = opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.TARGET).toBuilder()
        .setTargetId("other").build();
    PodContext c = PodContexts.of(sandbox(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.CONTAINER), PINS, 0),
        container(target), id -> () -> id.equals("other") ? 777 : -1);
    assertEquals(NamespaceRef.join("/proc/777/ns/pid"), c.namespaces().pid());
  }

  @Test
  void aProtoDefaultPodPidInAPodWithoutInitGetsItsOwn() {
    // pid = POD is proto's zero value: a container config that sets other options only must not
    // fail in a pod that asked for CONTAINER.
    PodContext c = PodContexts.of(sandbox(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.CONTAINER), PINS, 0),
        container(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.POD)), id -> () -> 1);
    assertEquals(NamespaceRef.fresh(), c.namespaces().pid());
  }

  @Test
  void aStoppedPodHasNoNamespacesToJoin() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> PodContexts.of(
        sandbox(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.CONTAINER), Map.of(), 0),
        container(opts(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.CONTAINER)), id -> () -> 1));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
  }

  private static NamespaceOption opts(NamespaceMode network, NamespaceMode ipc, NamespaceMode pid) {
    return NamespaceOption.newBuilder().setNetwork(network).setIpc(ipc).setPid(pid).build();
  }

  private static ContainerConfig container(NamespaceOption o) {
    return ContainerConfig.newBuilder().setLinux(LinuxContainerConfig.newBuilder()
        .setSecurityContext(LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(o))).build();
  }

  private static Sandbox sandbox(NamespaceOption o, Map<NamespaceKind, String> pins, long infraPid) {
    PodSandboxConfig config = PodSandboxConfig.newBuilder().setLinux(LinuxPodSandboxConfig.newBuilder()
        .setCgroupParent("/kubepods/pod1")
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(o))).build();
    boolean hostIpc = o.getIpc() == NamespaceMode.NODE;
    SandboxMetadata m = new SandboxMetadata("p", "p_default_u_0", 1, "", "web-0", "/var/lib/berth/sandboxes/p",
        hostIpc ? "" : "/run/berth/sandboxes/p/shm", config);
    return new Sandbox(m, new SandboxStatus(SandboxState.READY, pins, List.of(), infraPid, false));
  }
}
