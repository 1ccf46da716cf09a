package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupUsageTest {
  @TempDir Path dir;

  @Test
  void readsV1Hierarchies() throws Exception {
    Path proc = Files.createDirectories(dir.resolve("proc/42"));
    Files.writeString(proc.resolve("cgroup"), "12:memory:/pod/c1\n4:cpu,cpuacct:/pod/c1\n1:name=systemd:/\n0::/\n");
    Path root = dir.resolve("cg");
    Path cpu = Files.createDirectories(root.resolve("cpu,cpuacct/pod/c1"));
    Path mem = Files.createDirectories(root.resolve("memory/pod/c1"));
    Files.writeString(cpu.resolve("cpuacct.usage"), "123456789\n");
    Files.writeString(mem.resolve("memory.usage_in_bytes"), "10000\n");
    Files.writeString(mem.resolve("memory.stat"), "cache 1\ntotal_rss 6000\ntotal_inactive_file 3000\n");
    CgroupUsage u = CgroupUsage.ofProcess(42, dir.resolve("proc"), root).orElseThrow();
    assertEquals(new CgroupUsage(123456789, 10000, 7000, 6000), u);
  }

  @Test
  void readsV2() throws Exception {
    Path proc = Files.createDirectories(dir.resolve("proc/7"));
    Files.writeString(proc.resolve("cgroup"), "0::/kubepods/c2\n");
    Path root = Files.createDirectories(dir.resolve("cg"));
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory\n");
    Path c = Files.createDirectories(root.resolve("kubepods/c2"));
    Files.writeString(c.resolve("cpu.stat"), "usage_usec 250\nuser_usec 200\n");
    Files.writeString(c.resolve("memory.current"), "8192\n");
    Files.writeString(c.resolve("memory.stat"), "anon 4096\ninactive_file 1024\n");
    assertEquals(new CgroupUsage(250_000, 8192, 7168, 4096), CgroupUsage.ofProcess(7, dir.resolve("proc"), root).orElseThrow());
  }

  @Test
  void thisProcessOnTheRealHost() {
    CgroupUsage u = CgroupUsage.ofProcess(ProcessHandle.current().pid()).orElseThrow();
    assertTrue(u.cpuNanos() > 0 && u.memoryUsage() > 0, u.toString());
  }

  @Test
  void goneProcessIsEmpty() {
    assertTrue(CgroupUsage.ofProcess(Integer.MAX_VALUE - 1).isEmpty());
  }
}
