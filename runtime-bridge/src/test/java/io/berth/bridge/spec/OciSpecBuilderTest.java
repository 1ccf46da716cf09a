package io.berth.bridge.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.berth.bridge.spec.oci.Oci;
import io.berth.bridge.spec.oci.OciJson;
import io.berth.cri.v1.Capability;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.Device;
import io.berth.cri.v1.HugepageLimit;
import io.berth.cri.v1.KeyValue;
import io.berth.cri.v1.LinuxContainerResources;
import io.berth.cri.v1.LinuxContainerSecurityContext;
import io.berth.cri.v1.LinuxPodSandboxConfig;
import io.berth.cri.v1.Mount;
import io.berth.cri.v1.MountPropagation;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.SecurityProfile;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One merge rule per test, each with the exact expected outcome. */
class OciSpecBuilderTest {

  private static Oci.Spec build(ContainerConfig config) {
    return build(config, Fixtures.hostView(), Fixtures.context());
  }

  private static Oci.Spec build(ContainerConfig config, FakeHostView host, SpecContext ctx) {
    return new OciSpecBuilder(host).build(config, Fixtures.sandbox(), Fixtures.image(), ctx);
  }

  private static StatusRuntimeException rejects(Status.Code code, Runnable r) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, r::run);
    assertEquals(code, e.getStatus().getCode(), e.getMessage());
    return e;
  }

  private static Oci.Mount mountAt(Oci.Spec spec, String destination) {
    return spec.mounts().stream().filter(m -> m.destination().equals(destination)).findFirst().orElse(null);
  }

  @Test
  void ociVersionIsOneThatCrunAccepts() {
    assertEquals("1.0.2-dev", build(Fixtures.container().addArgs("x").build()).ociVersion());
  }

  @Nested
  class CommandAndArgs {
    private List<String> args(ImageConfig image, List<String> command, List<String> args) {
      ContainerConfig c = Fixtures.container().addAllCommand(command).addAllArgs(args).build();
      return OciSpecBuilder.processArgs(c, image);
    }

    private ImageConfig image(List<String> entrypoint, List<String> cmd) {
      return new ImageConfig(entrypoint, cmd, List.of(), "", "", "");
    }

    @Test
    void imageEntrypointAndCmdWhenConfigHasNeither() {
      assertEquals(List.of("/ep", "a"), args(image(List.of("/ep"), List.of("a")), List.of(), List.of()));
    }

    @Test
    void configCommandReplacesEntrypointAndDropsImageCmd() {
      assertEquals(List.of("/bin/sh"), args(image(List.of("/ep"), List.of("a")), List.of("/bin/sh"), List.of()));
    }

    @Test
    void configArgsReplaceImageCmdAfterEntrypoint() {
      assertEquals(List.of("/ep", "b", "c"), args(image(List.of("/ep"), List.of("a")), List.of(), List.of("b", "c")));
    }

    @Test
    void configCommandAndArgsTogether() {
      assertEquals(List.of("/x", "y"), args(image(List.of("/ep"), List.of("a")), List.of("/x"), List.of("y")));
    }

    @Test
    void anEmptyStringEntrypointIsNoEntrypoint() {
      assertEquals(List.of("a"), args(image(List.of(""), List.of("a")), List.of(), List.of()));
    }

    @Test
    void nothingToRunIsInvalid() {
      StatusRuntimeException e = rejects(Status.Code.INVALID_ARGUMENT,
          () -> args(image(List.of(), List.of()), List.of(), List.of()));
      assertTrue(e.getMessage().contains("command"));
    }
  }

  @Nested
  class Environment {
    private KeyValue kv(String k, String v) {
      return KeyValue.newBuilder().setKey(k).setValue(ByteString.copyFromUtf8(v)).build();
    }

    @Test
    void defaultPathThenHostnameThenImageThenConfigWithReplacementInPlace() {
      ImageConfig image = new ImageConfig(List.of("/ep"), List.of(), List.of("A=image", "B=image"), "", "", "");
      ContainerConfig c = Fixtures.container().addEnvs(kv("B", "config")).addEnvs(kv("C", "config")).build();
      assertEquals(List.of(SpecDefaults.DEFAULT_PATH_ENV, "HOSTNAME=h", "A=image", "B=config", "C=config"),
          OciSpecBuilder.environment(c, image, "h"));
    }

    @Test
    void imagePathReplacesTheDefaultPath() {
      ImageConfig image = new ImageConfig(List.of("/ep"), List.of(), List.of("PATH=/opt/bin"), "", "", "");
      assertEquals(List.of("PATH=/opt/bin"), OciSpecBuilder.environment(Fixtures.container().build(), image, ""));
    }

    @Test
    void aBareKeyRemovesTheVariable() {
      ImageConfig image = new ImageConfig(List.of("/ep"), List.of(), List.of("A=1", "A"), "", "", "");
      assertEquals(List.of(SpecDefaults.DEFAULT_PATH_ENV), OciSpecBuilder.environment(Fixtures.container().build(), image, ""));
    }

    @Test
    void valuesMayContainEqualsSigns() {
      ContainerConfig c = Fixtures.container().addEnvs(kv("Q", "a=b")).build();
      assertTrue(OciSpecBuilder.environment(c, ImageConfig.empty(), "").contains("Q=a=b"));
    }
  }

  @Nested
  class WorkingDir {
    @Test
    void configBeatsImageBeatsRoot() {
      ImageConfig image = new ImageConfig(List.of(), List.of(), List.of(), "/img", "", "");
      assertEquals("/cfg", OciSpecBuilder.workingDir(Fixtures.container().setWorkingDir("/cfg").build(), image));
      assertEquals("/img", OciSpecBuilder.workingDir(Fixtures.container().build(), image));
      assertEquals("/", OciSpecBuilder.workingDir(Fixtures.container().build(), ImageConfig.empty()));
    }

    @Test
    void relativeIsInvalid() {
      rejects(Status.Code.INVALID_ARGUMENT,
          () -> OciSpecBuilder.workingDir(Fixtures.container().setWorkingDir("rel").build(), ImageConfig.empty()));
    }
  }

  @Nested
  class UserInSpec {
    @Test
    void resolvedUserAndGroupsAreWritten() {
      SpecContext base = Fixtures.context();
      SpecContext ctx = new SpecContext(base.containerId(), base.sandboxId(), base.imageName(), base.rootfs(),
          base.namespaces(), base.hostname(), null, null, null, null, null, CgroupDriver.CGROUPFS,
          new ResolvedUser(1000, 100, List.of(10L, 100L)), null, base.host());
      Oci.User user = build(Fixtures.container().addArgs("x").build(), new FakeHostView(), ctx).process().user();
      assertEquals(new Oci.User(1000, 100, List.of(10L, 100L)), user);
    }
  }

  @Nested
  class Mounts {
    private ContainerConfig withMount(Mount.Builder m) {
      return Fixtures.container().addArgs("x").addMounts(m).build();
    }

    @Test
    void eachPropagationMapsToItsBindOption() {
      FakeHostView host = Fixtures.hostView().path("/a").path("/b").path("/c")
          .propagation("/b", Propagation.SLAVE).propagation("/c", Propagation.SHARED);
      ContainerConfig c = Fixtures.container().addArgs("x")
          .addMounts(Mount.newBuilder().setContainerPath("/pa").setHostPath("/a"))
          .addMounts(Mount.newBuilder().setContainerPath("/pb").setHostPath("/b")
              .setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER))
          .addMounts(Mount.newBuilder().setContainerPath("/pc").setHostPath("/c").setReadonly(true)
              .setPropagation(MountPropagation.PROPAGATION_BIDIRECTIONAL))
          .build();
      Oci.Spec spec = build(c, host, Fixtures.context());
      assertEquals(new Oci.Mount("/pa", "bind", "/a", List.of("rbind", "rprivate", "rw")), mountAt(spec, "/pa"));
      assertEquals(new Oci.Mount("/pb", "bind", "/b", List.of("rbind", "rslave", "rw")), mountAt(spec, "/pb"));
      assertEquals(new Oci.Mount("/pc", "bind", "/c", List.of("rbind", "rshared", "ro")), mountAt(spec, "/pc"));
      assertEquals("rshared", spec.linux().rootfsPropagation());
    }

    @Test
    void hostToContainerAloneMakesTheRootfsRslave() {
      FakeHostView host = Fixtures.hostView().path("/b").propagation("/b", Propagation.SHARED);
      Oci.Spec spec = build(withMount(Mount.newBuilder().setContainerPath("/pb").setHostPath("/b")
          .setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER)), host, Fixtures.context());
      assertEquals("rslave", spec.linux().rootfsPropagation());
    }

    @Test
    void bidirectionalNeedsASharedHostMount() {
      FakeHostView host = Fixtures.hostView().path("/b").propagation("/b", Propagation.SLAVE);
      StatusRuntimeException e = rejects(Status.Code.INVALID_ARGUMENT, () -> build(withMount(Mount.newBuilder()
          .setContainerPath("/pb").setHostPath("/b").setPropagation(MountPropagation.PROPAGATION_BIDIRECTIONAL)),
          host, Fixtures.context()));
      assertTrue(e.getMessage().contains("mounts.propagation"), e.getMessage());
    }

    @Test
    void hostToContainerNeedsASharedOrSlaveHostMount() {
      FakeHostView host = Fixtures.hostView().path("/b");
      rejects(Status.Code.INVALID_ARGUMENT, () -> build(withMount(Mount.newBuilder().setContainerPath("/pb")
          .setHostPath("/b").setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER)), host, Fixtures.context()));
    }

    @Test
    void symlinkedHostPathsAreResolved() {
      FakeHostView host = Fixtures.hostView().link("/link", "/real");
      Oci.Spec spec = build(withMount(Mount.newBuilder().setContainerPath("/m").setHostPath("/link")), host,
          Fixtures.context());
      assertEquals("/real", mountAt(spec, "/m").source());
    }

    @Test
    void aMissingHostPathIsInvalid() {
      StatusRuntimeException e = rejects(Status.Code.INVALID_ARGUMENT,
          () -> build(withMount(Mount.newBuilder().setContainerPath("/m").setHostPath("/nope"))));
      assertTrue(e.getMessage().contains("mounts.host_path"), e.getMessage());
    }

    @Test
    void aCriMountReplacesTheDefaultAndThePodFileAtTheSamePath() {
      FakeHostView host = Fixtures.hostView().path("/my/hosts").path("/my/proc");
      ContainerConfig c = Fixtures.container().addArgs("x")
          .addMounts(Mount.newBuilder().setContainerPath("/etc/hosts").setHostPath("/my/hosts"))
          .addMounts(Mount.newBuilder().setContainerPath("/proc/").setHostPath("/my/proc"))
          .build();
      Oci.Spec spec = build(c, host, Fixtures.context());
      assertEquals(List.of("/my/hosts"), spec.mounts().stream().filter(m -> m.destination().equals("/etc/hosts"))
          .map(Oci.Mount::source).collect(Collectors.toList()));
      assertEquals("bind", mountAt(spec, "/proc").type());
    }

    @Test
    void aSuppliedDevHidesEveryDefaultMountBelowIt() {
      FakeHostView host = Fixtures.hostView().path("/dev");
      Oci.Spec spec = build(withMount(Mount.newBuilder().setContainerPath("/dev").setHostPath("/dev")), host,
          Fixtures.context());
      assertNull(mountAt(spec, "/dev/pts"));
      assertNull(mountAt(spec, "/dev/mqueue"));
      assertEquals("/pods/s1/shm", mountAt(spec, "/dev/shm").source(), "the pod's shm is not a default mount");
    }

    @Test
    void shallowMountsComeBeforeDeeperOnes() {
      FakeHostView host = Fixtures.hostView().path("/x").path("/y");
      ContainerConfig c = Fixtures.container().addArgs("x")
          .addMounts(Mount.newBuilder().setContainerPath("/a/b/c").setHostPath("/x"))
          .addMounts(Mount.newBuilder().setContainerPath("/a").setHostPath("/y"))
          .build();
      List<String> order = build(c, host, Fixtures.context()).mounts().stream().map(Oci.Mount::destination)
          .filter(d -> d.startsWith("/a")).collect(Collectors.toList());
      assertEquals(List.of("/a", "/a/b/c"), order);
    }

    @Test
    void withoutPodShmTheContainerKeepsAPrivateTmpfs() {
      SpecContext base = Fixtures.context();
      SpecContext ctx = new SpecContext("c1", "s1", "", base.rootfs(), base.namespaces(), "", null, null, null, null,
          null, CgroupDriver.CGROUPFS, ResolvedUser.root(), null, base.host());
      Oci.Mount shm = mountAt(build(Fixtures.container().addArgs("x").build(), new FakeHostView(), ctx), "/dev/shm");
      assertEquals("tmpfs", shm.type());
    }

    @Test
    void imageVolumesAreRejected() {
      rejects(Status.Code.INVALID_ARGUMENT, () -> build(withMount(Mount.newBuilder().setContainerPath("/m")
          .setImage(io.berth.cri.v1.ImageSpec.newBuilder().setImage("sha256:abc")))));
    }
  }

  @Nested
  class Devices {
    @Test
    void aDeviceIsCreatedAndAllowedWithItsPermissions() {
      FakeHostView host = Fixtures.hostView().device("/dev/fuse", "c", 10, 229);
      ContainerConfig c = Fixtures.container().addArgs("x").addDevices(Device.newBuilder()
          .setHostPath("/dev/fuse").setContainerPath("/dev/fuse").setPermissions("rw")).build();
      Oci.Spec spec = build(c, host, Fixtures.context());
      assertEquals(List.of(new Oci.Device("/dev/fuse", "c", 10, 229, 0666, 0L, 0L)), spec.linux().devices());
      assertEquals(List.of(new Oci.DeviceCgroup(false, null, null, null, "rwm"),
          new Oci.DeviceCgroup(true, "c", 10L, 229L, "rw")), spec.linux().resources().devices());
    }

    @Test
    void badPermissionsAreInvalid() {
      FakeHostView host = Fixtures.hostView().device("/dev/fuse", "c", 10, 229);
      rejects(Status.Code.INVALID_ARGUMENT, () -> build(Fixtures.container().addArgs("x").addDevices(Device.newBuilder()
          .setHostPath("/dev/fuse").setContainerPath("/dev/fuse").setPermissions("rwx")).build(), host, Fixtures.context()));
    }
  }

  @Nested
  class CapabilitiesRules {
    private List<String> caps(Capability.Builder c) {
      return build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder().setCapabilities(c)))
          .process().capabilities().bounding();
    }

    @Test
    void defaultSetWithoutRequest() {
      List<String> caps = build(Fixtures.container().addArgs("x").build()).process().capabilities().bounding();
      assertEquals(Capabilities.DEFAULT.stream().sorted().collect(Collectors.toList()),
          caps.stream().sorted().collect(Collectors.toList()));
    }

    @Test
    void addAndDropWithOrWithoutPrefixAnyCase() {
      List<String> caps = caps(Capability.newBuilder().addAddCapabilities("net_admin").addAddCapabilities("CAP_SYS_TIME")
          .addDropCapabilities("KILL"));
      assertTrue(caps.contains("CAP_NET_ADMIN"));
      assertTrue(caps.contains("CAP_SYS_TIME"));
      assertFalse(caps.contains("CAP_KILL"));
    }

    @Test
    void addAllGivesEveryHostCapabilityButNotOnesTheHostLacks() {
      List<String> caps = caps(Capability.newBuilder().addAddCapabilities("ALL").addDropCapabilities("CHOWN"));
      assertEquals(Capabilities.ALL.size() - 2, caps.size());
      assertFalse(caps.contains("CAP_SYS_RESOURCE"), "this host's bounding set lacks CAP_SYS_RESOURCE");
      assertFalse(caps.contains("CAP_CHOWN"));
    }

    @Test
    void dropAllThenAddOne() {
      assertEquals(List.of("CAP_NET_BIND_SERVICE"),
          caps(Capability.newBuilder().addDropCapabilities("ALL").addAddCapabilities("NET_BIND_SERVICE")));
    }

    @Test
    void explicitlyAddingACapabilityTheHostLacksLeavesItOut() {
      assertFalse(caps(Capability.newBuilder().addAddCapabilities("SYS_RESOURCE")).contains("CAP_SYS_RESOURCE"));
    }

    @Test
    void ambientCapabilitiesGoIntoEverySet() {
      Oci.Capabilities caps = build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder()
          .setCapabilities(Capability.newBuilder().addAddAmbientCapabilities("NET_ADMIN")))).process().capabilities();
      assertEquals(List.of("CAP_NET_ADMIN"), caps.ambient());
      assertEquals(List.of("CAP_NET_ADMIN"), caps.inheritable());
      assertTrue(caps.permitted().contains("CAP_NET_ADMIN"));
    }

    @Test
    void unknownNamesAreInvalid() {
      StatusRuntimeException e = rejects(Status.Code.INVALID_ARGUMENT,
          () -> caps(Capability.newBuilder().addAddCapabilities("FLY")));
      assertTrue(e.getMessage().contains("add_capabilities"), e.getMessage());
    }
  }

  @Nested
  class Privileged {
    private Oci.Spec privileged() {
      FakeHostView host = Fixtures.hostView().device("/dev/kmsg", "c", 1, 11);
      return new OciSpecBuilder(host).build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder()
          .setPrivileged(true).setCapabilities(Capability.newBuilder().addDropCapabilities("ALL"))
          .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault))),
          Fixtures.privilegedSandbox(), Fixtures.image(), Fixtures.context());
    }

    @Test
    void everyHostCapabilityAndNoConfinement() {
      Oci.Spec spec = privileged();
      assertEquals(Capabilities.ALL.size() - 1, spec.process().capabilities().bounding().size());
      assertNull(spec.linux().seccomp());
      assertNull(spec.linux().maskedPaths());
      assertNull(spec.linux().readonlyPaths());
    }

    @Test
    void sysfsAndCgroupfsWritableAndAllDevices() {
      Oci.Spec spec = privileged();
      assertTrue(mountAt(spec, "/sys").options().contains("rw"));
      assertTrue(mountAt(spec, "/sys/fs/cgroup").options().contains("rw"));
      assertEquals(List.of(new Oci.DeviceCgroup(true, null, null, null, "rwm")), spec.linux().resources().devices());
      assertEquals("/dev/kmsg", spec.linux().devices().get(0).path());
    }

    @Test
    void notAllowedInAnUnprivilegedPod() {
      rejects(Status.Code.INVALID_ARGUMENT,
          () -> build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder().setPrivileged(true))));
    }
  }

  @Nested
  class Security {
    @Test
    void noNewPrivsAndReadonlyRootfs() {
      Oci.Spec spec = build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder().setNoNewPrivs(true)
          .setReadonlyRootfs(true)));
      assertTrue(spec.process().noNewPrivileges());
      assertTrue(spec.root().readonly());
      assertTrue(mountAt(spec, "/etc/hosts").options().contains("ro"), "pod files follow the rootfs");
      assertTrue(mountAt(spec, "/dev/shm").options().contains("rw"));
    }

    @Test
    void maskedAndReadonlyPathsDefaultOrAsRequested() {
      Oci.Spec defaults = build(Fixtures.container().addArgs("x").build());
      assertEquals(SpecDefaults.MASKED_PATHS, defaults.linux().maskedPaths());
      assertEquals(SpecDefaults.READONLY_PATHS, defaults.linux().readonlyPaths());
      Oci.Spec custom = build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder()
          .addMaskedPaths("/proc/x").addReadonlyPaths("/proc/y")));
      assertEquals(List.of("/proc/x"), custom.linux().maskedPaths());
      assertEquals(List.of("/proc/y"), custom.linux().readonlyPaths());
    }

    @Test
    void appArmorProfileWithoutAppArmorIsAFailedPrecondition() {
      StatusRuntimeException e = rejects(Status.Code.FAILED_PRECONDITION,
          () -> build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder().setApparmor(SecurityProfile
              .newBuilder().setProfileType(SecurityProfile.ProfileType.Localhost).setLocalhostRef("my-profile")))));
      assertTrue(e.getMessage().contains("AppArmor"), e.getMessage());
    }

    @Test
    void appArmorRuntimeDefaultIsFineWithoutAppArmor() {
      assertNull(build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder().setApparmor(SecurityProfile
          .newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault)))).process().apparmorProfile());
    }
  }

  @Nested
  class Seccomp {
    private Oci.Spec withProfile(SecurityProfile.Builder p, FakeHostView host) {
      return build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder().setSeccomp(p)), host, Fixtures.context());
    }

    private static boolean allows(Oci.Seccomp s, String syscall) {
      return s.syscalls().stream().anyMatch(r -> r.names().contains(syscall) && r.action().equals("SCMP_ACT_ALLOW")
          && r.args() == null);
    }

    @Test
    void unsetOrUnconfinedMeansNone() {
      assertNull(build(Fixtures.container().addArgs("x").build()).linux().seccomp());
      assertNull(withProfile(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Unconfined),
          Fixtures.hostView()).linux().seccomp());
    }

    @Test
    void runtimeDefaultDeniesAdministrationWithoutTheCapability() {
      Oci.Seccomp s = withProfile(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault),
          Fixtures.hostView()).linux().seccomp();
      assertEquals("SCMP_ACT_ERRNO", s.defaultAction());
      assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), s.architectures());
      assertTrue(allows(s, "read"));
      assertFalse(allows(s, "unshare"));
      assertFalse(allows(s, "mount"));
      assertFalse(allows(s, "keyctl"));
      assertFalse(allows(s, "arm_fadvise64_64"), "arm-only rules do not apply on x86_64");
      assertTrue(allows(s, "arch_prctl"));
    }

    @Test
    void runtimeDefaultAllowsAdministrationWithCapSysAdmin() {
      Oci.Seccomp s = build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder()
          .setCapabilities(Capability.newBuilder().addAddCapabilities("SYS_ADMIN"))
          .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault))))
          .linux().seccomp();
      assertTrue(allows(s, "unshare"));
      assertTrue(allows(s, "clone"), "clone is unrestricted with CAP_SYS_ADMIN");
      assertFalse(s.syscalls().stream().anyMatch(r -> r.names().contains("clone3") && r.action().equals("SCMP_ACT_ERRNO")));
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedProfilePathSpellings() {
      assertEquals("SCMP_ACT_ERRNO", build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder()
          .setSeccompProfilePath("runtime/default"))).linux().seccomp().defaultAction());
      assertNull(build(Fixtures.withSecurity(LinuxContainerSecurityContext.newBuilder()
          .setSeccompProfilePath("unconfined"))).linux().seccomp());
    }

    @Test
    void localhostProfileIsReadAndEvaluated() {
      FakeHostView host = Fixtures.hostView().file("/profiles/p.json",
          "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
              + "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}");
      Oci.Seccomp s = withProfile(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Localhost)
          .setLocalhostRef("/profiles/p.json"), host).linux().seccomp();
      assertEquals(new Oci.Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), null,
          List.of(new Oci.Syscall(List.of("mkdir"), "SCMP_ACT_ERRNO", 13, null))), s);
    }

    @Test
    void aMissingLocalhostProfileIsInvalid() {
      StatusRuntimeException e = rejects(Status.Code.INVALID_ARGUMENT, () -> withProfile(SecurityProfile.newBuilder()
          .setProfileType(SecurityProfile.ProfileType.Localhost).setLocalhostRef("/nope.json"), Fixtures.hostView()));
      assertTrue(e.getMessage().contains("seccomp"), e.getMessage());
    }
  }

  @Nested
  class Resources {
    private Oci.Spec withResources(LinuxContainerResources.Builder r, HostFacts host, Long pids) {
      ContainerConfig.Builder b = Fixtures.container().addArgs("x");
      b.getLinuxBuilder().setResources(r);
      SpecContext base = Fixtures.context(host);
      SpecContext ctx = new SpecContext("c1", "s1", "", base.rootfs(), base.namespaces(), "", null, null, null, null,
          "/p", CgroupDriver.CGROUPFS, ResolvedUser.root(), pids, host);
      return build(b.build(), new FakeHostView(), ctx);
    }

    @Test
    void cpuAndMemoryAndCpuset() {
      Oci.Resources r = withResources(LinuxContainerResources.newBuilder().setCpuShares(2).setCpuQuota(-1)
          .setCpuPeriod(100000).setCpusetCpus("0-1").setCpusetMems("0").setMemoryLimitInBytes(1 << 20),
          Fixtures.host(), null).linux().resources();
      assertEquals(new Oci.Cpu(2L, -1L, 100000L, "0-1", "0"), r.cpu());
      assertEquals(new Oci.Memory((long) (1 << 20), null), r.memory(), "no swap accounting on this host");
    }

    @Test
    void swapFollowsTheMemoryLimitWhenTheHostAccountsSwap() {
      Oci.Resources r = withResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(1000),
          Fixtures.hostV2(), null).linux().resources();
      assertEquals(new Oci.Memory(1000L, 1000L), r.memory());
    }

    @Test
    void unsetResourcesAreLeftOut() {
      Oci.Resources r = withResources(LinuxContainerResources.newBuilder(), Fixtures.host(), null).linux().resources();
      assertNull(r.cpu());
      assertNull(r.memory());
      assertNull(r.pids());
    }

    @Test
    void pidsLimitIsWrittenOnlyWhenPositiveNeverAsMinusOne() {
      assertEquals(new Oci.Pids(100), withResources(LinuxContainerResources.newBuilder(), Fixtures.host(), 100L)
          .linux().resources().pids());
      Oci.Spec unlimited = withResources(LinuxContainerResources.newBuilder(), Fixtures.host(), -1L);
      assertNull(unlimited.linux().resources().pids());
      assertFalse(new String(OciJson.toBytes(unlimited), StandardCharsets.UTF_8).contains("\"pids\""));
    }

    @Test
    void hugepagesNeedTheHugetlbController() {
      LinuxContainerResources.Builder r = LinuxContainerResources.newBuilder()
          .addHugepageLimits(HugepageLimit.newBuilder().setPageSize("2MB").setLimit(4 << 20));
      assertEquals(List.of(new Oci.HugepageLimit("2MB", 4 << 20)),
          withResources(r, Fixtures.host(), null).linux().resources().hugepageLimits());
      HostFacts h = Fixtures.host();
      HostFacts noHugetlb = new HostFacts(h.boundingCapabilities(), 0, false, false, false, "x86_64", h.kernel(), false);
      rejects(Status.Code.FAILED_PRECONDITION, () -> withResources(r, noHugetlb, null));
    }

    @Test
    void unifiedOnlyOnCgroupV2() {
      LinuxContainerResources.Builder r = LinuxContainerResources.newBuilder().putUnified("memory.high", "1000000");
      rejects(Status.Code.INVALID_ARGUMENT, () -> withResources(r, Fixtures.host(), null));
      assertEquals(Map.of("memory.high", "1000000"),
          withResources(r, Fixtures.hostV2(), null).linux().resources().unified());
    }

    @Test
    void oomScoreAdjIsNeverBelowTheDaemons() {
      HostFacts h = Fixtures.host();
      HostFacts daemonAt500 = new HostFacts(h.boundingCapabilities(), 500, false, true, false, "x86_64", h.kernel(), false);
      assertEquals(500, withResources(LinuxContainerResources.newBuilder().setOomScoreAdj(-999), daemonAt500, null)
          .process().oomScoreAdj());
      assertEquals(900, withResources(LinuxContainerResources.newBuilder().setOomScoreAdj(900), daemonAt500, null)
          .process().oomScoreAdj());
      assertEquals(1000, ResourcesMapper.clampOomScoreAdj(5000, 0));
    }
  }

  @Nested
  class NamespacesAndHostname {
    private SpecContext ctx(PodNamespaces ns, HostFacts host) {
      return new SpecContext("c1", "s1", "", Path.of("/r"), ns, "pod-host", null, null, null, null, null,
          CgroupDriver.CGROUPFS, ResolvedUser.root(), null, host);
    }

    @Test
    void joinedNamespacesByPathHostOnesLeftOutMountAlwaysNew() {
      PodNamespaces ns = new PodNamespaces(NamespaceRef.host(), NamespaceRef.join("/ns/ipc"), NamespaceRef.fresh(),
          NamespaceRef.join("/proc/42/ns/pid"));
      Oci.Spec spec = build(Fixtures.container().addArgs("x").build(), new FakeHostView(), ctx(ns, Fixtures.host()));
      assertEquals(List.of(new Oci.Namespace("pid", "/proc/42/ns/pid"), new Oci.Namespace("ipc", "/ns/ipc"),
          new Oci.Namespace("uts", null), new Oci.Namespace("mount", null)), spec.linux().namespaces());
    }

    @Test
    void cgroupNamespaceOnV2() {
      Oci.Spec spec = build(Fixtures.container().addArgs("x").build(), new FakeHostView(),
          ctx(PodNamespaces.hostNetworkOnly(), Fixtures.hostV2()));
      assertTrue(spec.linux().namespaces().contains(new Oci.Namespace("cgroup", null)));
    }

    @Test
    void hostnameOnlyWithAUtsNamespaceOfItsOwn() {
      Oci.Spec own = build(Fixtures.container().addArgs("x").build(), new FakeHostView(),
          ctx(PodNamespaces.hostNetworkOnly(), Fixtures.host()));
      assertEquals("pod-host", own.hostname());
      assertTrue(own.process().env().contains("HOSTNAME=pod-host"));
      PodNamespaces joined = new PodNamespaces(NamespaceRef.host(), NamespaceRef.fresh(), NamespaceRef.join("/ns/uts"),
          NamespaceRef.fresh());
      assertNull(build(Fixtures.container().addArgs("x").build(), new FakeHostView(), ctx(joined, Fixtures.host()))
          .hostname());
      PodNamespaces host = new PodNamespaces(NamespaceRef.host(), NamespaceRef.fresh(), NamespaceRef.host(),
          NamespaceRef.fresh());
      assertNull(build(Fixtures.container().addArgs("x").build(), new FakeHostView(), ctx(host, Fixtures.host()))
          .hostname(), "never set the host's hostname");
    }

    @Test
    void cgroupsPathPerDriver() {
      SpecContext base = Fixtures.context();
      assertEquals("/kubepods/pod1/c1", OciSpecBuilder.cgroupsPath(base));
      SpecContext systemd = new SpecContext("c1", "", "", Path.of("/r"), base.namespaces(), "", null, null, null,
          null, "/kubepods.slice/kubepods-pod1.slice", CgroupDriver.SYSTEMD, ResolvedUser.root(), null, base.host());
      assertEquals("kubepods-pod1.slice:berth:c1", OciSpecBuilder.cgroupsPath(systemd));
    }

    @Test
    void namespacedSysctlsOnlyWithTheirNamespace() {
      PodSandboxConfig sandbox = Fixtures.sandbox().toBuilder().setLinux(LinuxPodSandboxConfig.newBuilder()
          .putSysctls("net.ipv4.ip_unprivileged_port_start", "0").putSysctls("kernel.shm_rmid_forced", "1")).build();
      PodNamespaces own = new PodNamespaces(NamespaceRef.join("/ns/net"), NamespaceRef.fresh(), NamespaceRef.fresh(),
          NamespaceRef.fresh());
      assertEquals(Map.of("net.ipv4.ip_unprivileged_port_start", "0", "kernel.shm_rmid_forced", "1"),
          OciSpecBuilder.sysctls(sandbox, own));
      StatusRuntimeException e = rejects(Status.Code.INVALID_ARGUMENT,
          () -> OciSpecBuilder.sysctls(sandbox, PodNamespaces.hostNetworkOnly()));
      assertTrue(e.getMessage().contains("net.ipv4"), e.getMessage());
      PodSandboxConfig global = Fixtures.sandbox().toBuilder().setLinux(LinuxPodSandboxConfig.newBuilder()
          .putSysctls("vm.swappiness", "1")).build();
      rejects(Status.Code.INVALID_ARGUMENT, () -> OciSpecBuilder.sysctls(global, own));
    }

    @Test
    void userNamespacesAreRejected() {
      LinuxContainerSecurityContext.Builder sc = LinuxContainerSecurityContext.newBuilder();
      sc.getNamespaceOptionsBuilder().getUsernsOptionsBuilder().setMode(io.berth.cri.v1.NamespaceMode.POD);
      rejects(Status.Code.INVALID_ARGUMENT, () -> build(Fixtures.withSecurity(sc)));
    }
  }

  @Test
  void annotationsNameTheContainerPodAndImage() {
    Map<String, String> a = build(Fixtures.container().addArgs("x").build()).annotations();
    assertEquals("container", a.get("io.kubernetes.cri.container-type"));
    assertEquals("s1", a.get("io.kubernetes.cri.sandbox-id"));
    assertEquals("busybox:latest", a.get("io.kubernetes.cri.image-name"));
  }
}
