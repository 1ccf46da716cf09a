package io.berth.bridge.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.bridge.testing.TestMonitor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** berth-monitor's command line: conmon's spellings are taken, anything else is refused. */
class BerthMonitorCommandLineIT {

  @Test
  void anUnknownOptionIsAnErrorThatNamesIt() throws Exception {
    Result r = run(TestMonitor.berthMonitor().toString(), "--api-version", "-c", "x", "--no-such-flag");
    assertEquals(1, r.exit());
    assertTrue(r.output().contains("unknown option --no-such-flag"), r.output());
  }

  @Test
  void aMissingRequiredOptionIsNamed() throws Exception {
    Result r = run(TestMonitor.berthMonitor().toString(), "--api-version", "-c", "x", "-r", "/bin/true",
        "-p", "/tmp/p", "-l", "k8s-file:/tmp/l", "--socket-dir-path", "/tmp", "--log-level", "info", "--syslog");
    assertEquals(1, r.exit());
    assertTrue(r.output().contains("-b is required"), "create needs a bundle: " + r.output());
  }

  @Test
  void anotherLogDriverIsRefused() throws Exception {
    Result r = run(TestMonitor.berthMonitor().toString(), "-l", "journald:");
    assertEquals(1, r.exit());
    assertTrue(r.output().contains("only k8s-file"), r.output());
  }

  @Test
  void versionPrintsAndExits() throws Exception {
    Result r = run(TestMonitor.berthMonitor().toString(), "--version");
    assertEquals(0, r.exit());
    assertTrue(r.output().startsWith("berth-monitor version "), r.output());
  }

  private record Result(int exit, String output) {}

  private static Result run(String... argv) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(argv));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(Path.of("/").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}
