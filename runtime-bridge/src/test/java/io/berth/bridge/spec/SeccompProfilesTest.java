package io.berth.bridge.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.bridge.spec.oci.Oci;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Docker-format conditions evaluated against capabilities, architecture and kernel. */
class SeccompProfilesTest {
  private static final String PROFILE = "{"
      + "\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
      + "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]},"
      + "{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]}],"
      + "\"syscalls\":["
      + "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
      + "{\"name\":\"old_style\",\"action\":\"SCMP_ACT_ALLOW\"},"
      + "{\"names\":[\"needs_admin\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
      + "{\"names\":[\"without_admin\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
      + "{\"names\":[\"amd64_only\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"amd64\"]}},"
      + "{\"names\":[\"not_on_amd64\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"arches\":[\"amd64\"]}},"
      + "{\"names\":[\"new_kernel\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"6.5\"}},"
      + "{\"names\":[\"with_args\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":7,\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}]}"
      + "]}";

  private static List<String> names(Oci.Seccomp s) {
    return s.syscalls().stream().flatMap(r -> r.names().stream()).collect(Collectors.toList());
  }

  private static Oci.Seccomp eval(Set<String> caps, String arch, KernelVersion kernel) {
    JsonNode p = SeccompProfiles.parse(PROFILE.getBytes(StandardCharsets.UTF_8), "f");
    return SeccompProfiles.evaluate(p, caps, arch, kernel);
  }

  @Test
  void conditionsOnX86WithoutSysAdminOnAnOldKernel() {
    Oci.Seccomp s = eval(Set.of("CAP_CHOWN"), "x86_64", new KernelVersion(6, 1));
    assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), s.architectures());
    assertEquals(List.of("read", "old_style", "without_admin", "amd64_only", "with_args"), names(s));
    assertEquals(1, s.defaultErrnoRet());
    Oci.Syscall withArgs = s.syscalls().get(4);
    assertEquals(List.of(new Oci.SyscallArg(1, 7, null, "SCMP_CMP_EQ")), withArgs.args());
    assertNull(s.syscalls().get(0).args());
  }

  @Test
  void conditionsOnArmWithSysAdminOnANewKernel() {
    Oci.Seccomp s = eval(Set.of("CAP_SYS_ADMIN"), "aarch64", new KernelVersion(6, 18));
    assertEquals(List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"), s.architectures());
    assertEquals(List.of("read", "old_style", "needs_admin", "not_on_amd64", "new_kernel", "with_args"), names(s));
  }

  @Test
  void defaultProfileParsesAndHasNoUnconditionalUnshare() {
    Oci.Seccomp s = SeccompProfiles.evaluate(SeccompProfiles.runtimeDefault(), Set.copyOf(Capabilities.DEFAULT),
        "x86_64", new KernelVersion(6, 1));
    assertEquals("SCMP_ACT_ERRNO", s.defaultAction());
    assertEquals(false, names(s).contains("unshare"));
    assertEquals(true, names(s).contains("execve"));
  }

  @Test
  void profilesWithoutDefaultActionOrNotJsonAreInvalid() {
    assertThrows(StatusRuntimeException.class, () -> SeccompProfiles.parse("{}".getBytes(StandardCharsets.UTF_8), "f"));
    assertThrows(StatusRuntimeException.class, () -> SeccompProfiles.parse("nope".getBytes(StandardCharsets.UTF_8), "f"));
  }
}
