package io.berth.bridge.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessIdentityTest {
  @Test
  void parsesAfterTheLastParenthesisOfTheCommandName() {
    String stat = "4242 (evil) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100";
    ProcessIdentity.Stat s = ProcessIdentity.parse(stat).orElseThrow();
    assertEquals('S', s.state());
    assertEquals(987654L, s.startTime());
  }

  @Test
  void zombiesCountAsDead() {
    assertTrue(ProcessIdentity.parse("7 (x) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0").orElseThrow().isDead());
  }

  @Test
  void thisJvmIsAliveAndAReusedPidIsNot() {
    int self = (int) ProcessHandle.current().pid();
    ProcessIdentity me = ProcessIdentity.of(self).orElseThrow();
    assertTrue(me.isAlive());
    assertFalse(new ProcessIdentity(self, me.startTime() + 1).isAlive(), "same pid, other start time");
    assertTrue(ProcessIdentity.of(-1).isEmpty());
  }
}
