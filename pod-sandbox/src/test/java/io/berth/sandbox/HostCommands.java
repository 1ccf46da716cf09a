package io.berth.sandbox;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs host tools (ip, iptables, nsenter) for integration tests and reads their output. */
final class HostCommands {
  private HostCommands() {}

  record Output(int exitCode, String text) {}

  static Output run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Output(p.waitFor(), text);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs a command that must succeed; returns its output. */
  static String ok(String... command) {
    Output o = run(command);
    if (o.exitCode() != 0) {
      fail(String.join(" ", command) + " exited " + o.exitCode() + ": " + o.text());
    }
    return o.text();
  }

  /** The ping to use inside a netns: iputils ping, or busybox's applet. */
  static List<String> ping() {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      if (Files.isExecutable(Path.of(dir, "ping"))) {
        return List.of(dir + "/ping");
      }
    }
    for (String dir : List.of("/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, "busybox"))) {
        return List.of(dir + "/busybox", "ping");
      }
    }
    fail("neither ping nor busybox is installed: apt-get install iputils-ping (or busybox-static)");
    return List.of();
  }

  static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  /** Fails with what to install when a required host program is missing. */
  static void requireExecutable(Path p, String install) {
    if (!Files.isExecutable(p)) {
      fail(p + " is missing; " + install);
    }
  }
}
