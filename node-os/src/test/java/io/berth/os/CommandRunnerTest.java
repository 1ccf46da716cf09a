package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  @Test
  void passesStdinAndEnvironmentAndCollectsBothStreams() throws Exception {
    try (CommandRunner runner = new CommandRunner()) {
      CommandRunner.Result r = runner.run(
          List.of("/bin/sh", "-c", "cat; echo \"$GREETING\" >&2; exit 7"),
          Map.of("GREETING", "hello"), "input".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
      assertEquals(7, r.exitCode());
      assertEquals("input", r.stdoutText());
      assertEquals("hello", r.stderrText());
    }
  }

  @Test
  void largeStderrDoesNotDeadlock() throws Exception {
    try (CommandRunner runner = new CommandRunner()) {
      CommandRunner.Result r = runner.run(
          List.of("/bin/sh", "-c", "head -c 300000 /dev/zero >&2; echo done"),
          Map.of(), null, Duration.ofSeconds(30));
      assertEquals(0, r.exitCode());
      assertEquals(300000, r.stderr().length);
      assertEquals("done\n", r.stdoutText());
    }
  }

  @Test
  void killsAProgramThatOutlivesItsTimeout() {
    try (CommandRunner runner = new CommandRunner()) {
      assertThrows(CommandRunner.TimeoutException.class, () -> runner.run(
          List.of("/bin/sh", "-c", "exec sleep 600"), Map.of(), null, Duration.ofMillis(200)));
    }
  }

  @Test
  void anicedRunnerNicesItsProgramsAndNoThreadOfThisJvm() throws Exception {
    String mine = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
    try (CommandRunner niced = CommandRunner.niced(7)) {
      CommandRunner.Result r = niced.run(List.of("sh", "-c", "cut -d' ' -f19 /proc/self/stat"), Map.of(), null,
          Duration.ofSeconds(10));
      assertEquals(0, r.exitCode());
      assertEquals("7", r.stdoutText().trim(), "the program runs at nice 7");
    }
    // Field 19 (nice) of this JVM (its main thread) is unchanged.
    assertEquals(mine.substring(mine.lastIndexOf(')') + 2).split(" ")[16],
        java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat")).substring(
            mine.lastIndexOf(')') + 2).split(" ")[16]);
  }
}
