package io.berth.bridge.spec;

import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerMetadata;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.LinuxContainerConfig;
import io.berth.cri.v1.LinuxContainerSecurityContext;
import io.berth.cri.v1.LinuxPodSandboxConfig;
import io.berth.cri.v1.LinuxSandboxSecurityContext;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxMetadata;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Inputs for spec tests: this VM's host facts, a busybox-like image, a plain pod. */
final class Fixtures {
  private Fixtures() {}

  /** Like this VM: every capability but CAP_SYS_RESOURCE, cgroup v1 with hugetlb, oom_score_adj 0. */
  static HostFacts host() {
    Set<String> caps = new HashSet<>(Capabilities.ALL);
    caps.remove("CAP_SYS_RESOURCE");
    return new HostFacts(caps, 0, false, true, false, "x86_64", new KernelVersion(6, 1), false);
  }

  static HostFacts hostV2() {
    HostFacts h = host();
    return new HostFacts(h.boundingCapabilities(), 0, true, true, true, "x86_64", h.kernel(), false);
  }

  static ImageConfig image() {
    return new ImageConfig(List.of("/entry"), List.of("cmd-arg"), List.of("PATH=/image/bin", "IMAGE_ONLY=1"),
        "/image-wd", "", "");
  }

  static PodSandboxConfig sandbox() {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("pod").setNamespace("ns").setUid("uid-1"))
        .setHostname("pod-host")
        .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/kubepods/pod1")
            .setSecurityContext(LinuxSandboxSecurityContext.getDefaultInstance()))
        .build();
  }

  static PodSandboxConfig privilegedSandbox() {
    return sandbox().toBuilder().setLinux(sandbox().getLinux().toBuilder()
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setPrivileged(true))).build();
  }

  static ContainerConfig.Builder container() {
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName("app"))
        .setImage(ImageSpec.newBuilder().setImage("busybox:latest"))
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.getDefaultInstance()));
  }

  static ContainerConfig withSecurity(LinuxContainerSecurityContext.Builder sc) {
    ContainerConfig.Builder b = container();
    b.getLinuxBuilder().setSecurityContext(sc);
    return b.build();
  }

  static SpecContext context(HostFacts host) {
    return new SpecContext("c1", "s1", "busybox:latest", Path.of("/var/lib/berth/c1/rootfs"),
        new PodNamespaces(NamespaceRef.join("/run/berth/ns/net/s1"), NamespaceRef.join("/run/berth/ns/ipc/s1"),
            NamespaceRef.join("/run/berth/ns/uts/s1"), NamespaceRef.fresh()),
        "pod-host", Path.of("/pods/s1/hostname"), Path.of("/pods/s1/hosts"), Path.of("/pods/s1/resolv.conf"),
        Path.of("/pods/s1/shm"), "/kubepods/pod1", CgroupDriver.CGROUPFS, ResolvedUser.root(), null, host);
  }

  static SpecContext context() {
    return context(host());
  }

  /** A host view where the pod files of {@link #context} exist. */
  static FakeHostView hostView() {
    return new FakeHostView().path("/pods/s1/hostname").path("/pods/s1/hosts").path("/pods/s1/resolv.conf")
        .path("/pods/s1/shm");
  }
}
