package io.berth.bridge.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.Int64Value;
import io.berth.cri.v1.LinuxContainerSecurityContext;
import io.berth.cri.v1.SupplementalGroupsPolicy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {
  private static final UserResolver.EtcFiles ETC = new UserResolver.EtcFiles(
      "root:x:0:0:root:/root:/bin/sh\n"
          + "# comment\n"
          + "app:x:1000:1000::/home/app:/bin/sh\n"
          + "daemon:x:2:2::/:/sbin/nologin\n",
      "root:x:0:\n"
          + "wheel:x:10:root,app\n"
          + "app:x:1000:app\n"
          + "audio:x:29:app\n"
          + "staff:x:50:\n");

  private static ResolvedUser resolve(LinuxContainerSecurityContext.Builder sc, String imageUser) {
    return UserResolver.resolve(sc.build(), new ImageConfig(List.of(), List.of(), List.of(), "", imageUser, ""), ETC);
  }

  private static Int64Value v(long n) {
    return Int64Value.newBuilder().setValue(n).build();
  }

  @Test
  void noUserAnywhereIsRootWithRootsGroups() {
    assertEquals(new ResolvedUser(0, 0, List.of(0L, 10L)), resolve(LinuxContainerSecurityContext.newBuilder(), ""));
  }

  @Test
  void imageUserByName() {
    assertEquals(new ResolvedUser(1000, 1000, List.of(10L, 29L, 1000L)),
        resolve(LinuxContainerSecurityContext.newBuilder(), "app"));
  }

  @Test
  void imageUserAndGroupByName() {
    assertEquals(new ResolvedUser(1000, 50, List.of(10L, 29L, 50L)),
        resolve(LinuxContainerSecurityContext.newBuilder(), "app:staff"));
  }

  @Test
  void runAsUserBeatsTheImageAndTakesItsPasswdGid() {
    assertEquals(new ResolvedUser(2, 2, List.of(2L)), resolve(LinuxContainerSecurityContext.newBuilder().setRunAsUser(v(2)), "app"));
  }

  @Test
  void runAsUserNotInPasswdGetsGidZeroAndNoImageGroups() {
    assertEquals(new ResolvedUser(4242, 0, List.of(0L)),
        resolve(LinuxContainerSecurityContext.newBuilder().setRunAsUser(v(4242)), ""));
  }

  @Test
  void runAsUserWithRunAsGroup() {
    assertEquals(new ResolvedUser(1000, 29, List.of(10L, 29L)),
        resolve(LinuxContainerSecurityContext.newBuilder().setRunAsUser(v(1000)).setRunAsGroup(v(29)), ""));
  }

  @Test
  void runAsUsernameMustExist() {
    assertEquals(new ResolvedUser(1000, 1000, List.of(10L, 29L, 1000L)),
        resolve(LinuxContainerSecurityContext.newBuilder().setRunAsUsername("app"), ""));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> resolve(LinuxContainerSecurityContext.newBuilder().setRunAsUsername("ghost"), ""));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getMessage().contains("ghost"));
  }

  @Test
  void runAsGroupWithoutUserIsInvalid() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> resolve(LinuxContainerSecurityContext.newBuilder().setRunAsGroup(v(5)), ""));
    assertTrue(e.getMessage().contains("run_as_group"));
  }

  @Test
  void supplementalGroupsMergedSortedDeduplicated() {
    assertEquals(new ResolvedUser(1000, 1000, List.of(5L, 10L, 29L, 1000L)),
        resolve(LinuxContainerSecurityContext.newBuilder().setRunAsUsername("app").addSupplementalGroups(5)
            .addSupplementalGroups(10), ""));
  }

  @Test
  void strictPolicyIgnoresTheImagesGroups() {
    assertEquals(new ResolvedUser(1000, 1000, List.of(5L, 1000L)),
        resolve(LinuxContainerSecurityContext.newBuilder().setRunAsUsername("app").addSupplementalGroups(5)
            .setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict), ""));
  }

  @Test
  void unknownGroupNameIsInvalid() {
    assertThrows(StatusRuntimeException.class, () -> resolve(LinuxContainerSecurityContext.newBuilder(), "app:ghosts"));
  }

  @Test
  void readsTheRootfsFilesAndIgnoresASymlinkEscape(@TempDir Path rootfs, @TempDir Path outside) throws Exception {
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(outside.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/real-passwd"), "app:x:7:8::/:/bin/sh\n");
    // An absolute link is resolved inside the rootfs, whatever the host has at that path.
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/real-passwd"));
    Files.createSymbolicLink(rootfs.resolve("etc/group"), Path.of("../../../../../../" + outside.resolve("passwd")));
    UserResolver.EtcFiles etc = UserResolver.EtcFiles.of(rootfs);
    assertEquals("app:x:7:8::/:/bin/sh\n", etc.passwd());
    assertEquals("", etc.group(), "a link climbing out of the rootfs stays inside it and finds nothing");
  }
}
