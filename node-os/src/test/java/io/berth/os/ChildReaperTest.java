package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChildReaperTest {
  @Test
  void readsStateAndParentFromStat() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start();
    try {
      int self = (int) ProcessHandle.current().pid();
      assertFalse(ChildReaper.isZombieChildOf(p.pid(), self), "a running child is not a zombie");
      assertTrue(Files.readString(Path.of("/proc/" + p.pid() + "/stat")).contains("(sleep)"));
      assertTrue(ChildReaper.processGroup(p.pid()) == ChildReaper.processGroup(self),
          "the JVM's children stay in its process group (what tells them from inherited orphans)");
    } finally {
      p.destroyForcibly().waitFor();
    }
    assertFalse(ChildReaper.isZombieChildOf(p.pid(), 1), "reaped by the JVM: gone");
  }

  @Test
  void listsTheChildrenOfAProcessFromItsThreads() throws Exception {
    int self = (int) ProcessHandle.current().pid();
    Process p = new ProcessBuilder("sleep", "30").start();
    try {
      assertTrue(ChildReaper.children(self).orElseThrow(
          () -> new AssertionError("this kernel lists no /proc/PID/task/TID/children")).contains((int) p.pid()));
    } finally {
      p.destroyForcibly().waitFor();
    }
    assertFalse(ChildReaper.children(self).orElseThrow().contains((int) p.pid()), "reaped: no longer a child");
    assertTrue(ChildReaper.children(Integer.MAX_VALUE).isEmpty(), "no such process");
  }
}
