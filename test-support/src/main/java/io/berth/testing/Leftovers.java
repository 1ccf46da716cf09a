package io.berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds what a berthd left running from its test dir: processes whose command line names the dir
 * (monitors, runtimes), and processes in another mount namespace that has a mount from the dir
 * (containers, whose rootfs is an overlay of the dir's snapshots).
 */
final class Leftovers {
  private Leftovers() {}

  /** SIGKILLs every process using {@code dir} (never this JVM or its ancestors) and waits for them; returns what it killed. */
  static List<String> killProcessesUsing(Path dir, Duration wait) throws IOException {
    // the trailing slash keeps /tmp/berthd-12 from matching /tmp/berthd-123
    String needle = dir.toAbsolutePath().normalize() + "/";
    Set<Long> spare = new HashSet<>();
    for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
      spare.add(p.get().pid());
    }
    String ownMntNs = readLink(Path.of("/proc/self/ns/mnt")).orElse("");
    List<ProcessHandle> victims = new ArrayList<>();
    List<String> described = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        if (spare.contains(pid) || !uses(proc, needle, ownMntNs)) {
          continue;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
          victims.add(h.get());
          described.add(pid + " " + h.get().info().commandLine().orElse(cmdline(proc)));
          h.get().destroyForcibly();
        }
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    for (ProcessHandle h : victims) {
      try {
        h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        // reported by the caller's next step (a mount stays busy) if it matters
      }
    }
    return described;
  }

  private static boolean uses(Path proc, String needle, String ownMntNs) {
    if (cmdline(proc).contains(needle)) {
      return true;
    }
    Optional<String> ns = readLink(proc.resolve("ns/mnt"));
    if (ns.isEmpty() || ns.get().equals(ownMntNs)) {
      return false; // a process sharing our mount table sees the dir's mounts without using them
    }
    try {
      return Files.readString(proc.resolve("mountinfo")).contains(needle);
    } catch (IOException | RuntimeException gone) {
      return false;
    }
  }

  private static String cmdline(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException gone) {
      return "";
    }
  }

  private static Optional<String> readLink(Path p) {
    try {
      return Optional.of(Files.readSymbolicLink(p).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
