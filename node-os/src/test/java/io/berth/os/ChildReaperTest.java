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
}
