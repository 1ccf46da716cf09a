package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupHostTest {
  @TempDir Path dir;

  @Test
  void pureV2() throws Exception {
    Files.writeString(dir.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    CgroupHost h = CgroupHost.detect(dir, dir.resolve("nosystemd"));
    assertEquals(CgroupHost.Mode.V2, h.mode());
    assertEquals(List.of("cpuset", "cpu", "io", "memory", "pids"), h.unifiedControllers());
    assertFalse(h.hybridWithV2Controllers());
  }

  @Test
  void hybridOwningHugetlbIsFlagged() throws Exception {
    Files.createDirectories(dir.resolve("unified"));
    Files.writeString(dir.resolve("unified/cgroup.controllers"), "hugetlb\n");
    Files.createDirectories(dir.resolve("systemd-run"));
    CgroupHost h = CgroupHost.detect(dir, dir.resolve("systemd-run"));
    assertEquals(CgroupHost.Mode.HYBRID, h.mode());
    assertTrue(h.hybridWithV2Controllers());
    assertTrue(h.systemdRunning());
  }

  @Test
  void hybridWithEmptyUnifiedIsFine() throws Exception {
    Files.createDirectories(dir.resolve("unified"));
    Files.writeString(dir.resolve("unified/cgroup.controllers"), "\n");
    assertFalse(CgroupHost.detect(dir, dir.resolve("x")).hybridWithV2Controllers());
  }

  @Test
  void pureV1() {
    assertEquals(CgroupHost.Mode.V1, CgroupHost.detect(dir, dir.resolve("x")).mode());
  }
}
