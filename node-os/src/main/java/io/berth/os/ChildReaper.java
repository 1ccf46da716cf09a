package io.berth.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reaps the orphans berthd inherits as a child subreaper (processes whose parent died: exec'd
 * commands after their monitor ended, daemonised monitors when their container is gone). Without
 * it they would go to the host's PID 1, which on some hosts reaps only every second or so, and a
 * killed exec process would stay visible (as a zombie) inside its pod meanwhile.
 *
 * <p>The JVM reaps the processes it started itself: each has a thread blocked in waitpid for it,
 * so such a zombie lives for microseconds, and reaping it first would hand the JVM's waiter ECHILD.
 * The processes the JVM starts stay in its process group; the orphans we inherit come from
 * containers and monitors, which run in groups of their own. So a zombie child outside our group
 * is reaped once two scans have seen it (within about {@link #SCAN_INTERVAL_MS} x 2); one inside it
 * only once it has been a zombie for {@link #MIN_ZOMBIE_AGE_MS}, which no JVM waiter would allow.
 */
public final class ChildReaper implements AutoCloseable {
  static final long SCAN_INTERVAL_MS = 200;
  static final long MIN_ZOMBIE_AGE_MS = 1000;
  static final long FOREIGN_MIN_AGE_NOW_MS = 20;

  private final Linux linux;
  private final int self;
  private final int ownGroup;
  private final Thread thread;
  private volatile boolean running = true;
  /** zombie pid -> when a scan first saw it as one */
  private final Map<Integer, Long> firstSeen = new HashMap<>();

  private ChildReaper(Linux linux) {
    this.linux = linux;
    this.self = linux.pid();
    this.ownGroup = processGroup(self);
    this.thread = new Thread(this::loop, "orphan-reaper");
    this.thread.setDaemon(true);
  }

  /** Makes this process a child subreaper and starts reaping orphans in the background. */
  public static ChildReaper start(Linux linux) throws IOException {
    linux.becomeChildSubreaper();
    ChildReaper r = new ChildReaper(linux);
    r.thread.start();
    return r;
  }

  /**
   * Reaps, now, the zombie children outside the JVM's process group that have been zombies for a
   * few milliseconds: for a caller that just ended a process (an exec that timed out) and must not
   * return while it is still visible. Call it repeatedly over a short while.
   */
  public void reapOrphansNow() {
    reapPass(FOREIGN_MIN_AGE_NOW_MS);
  }

  private void loop() {
    while (running) {
      reapPass(SCAN_INTERVAL_MS);
      try {
        Thread.sleep(SCAN_INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * One scan. A zombie is only reaped once it has been seen as one for a while: a process the JVM
   * started has a JVM thread already woken to reap it, which a short wait lets win. The monitors
   * the JVM starts call setsid, so the process group alone cannot tell them apart.
   */
  private synchronized void reapPass(long foreignMinAgeMs) {
    long now = System.currentTimeMillis();
    Set<Integer> zombies = zombieChildren();
    firstSeen.keySet().retainAll(zombies);
    for (int pid : zombies) {
      long age = now - firstSeen.computeIfAbsent(pid, p -> now);
      long minAge = processGroup(pid) != ownGroup ? foreignMinAgeMs : MIN_ZOMBIE_AGE_MS;
      if (age >= minAge && linux.reapNoHang(pid)) {
        firstSeen.remove(pid);
      }
    }
  }

  private Set<Integer> zombieChildren() {
    Set<Integer> out = new HashSet<>();
    for (int pid : children(self).orElseGet(ChildReaper::allPids)) {
      if (isZombieChildOf(pid, self)) {
        out.add(pid);
      }
    }
    return out;
  }

  /**
   * The children of process {@code pid}, from each of its threads' {@code children} file (the
   * kernel lists a child under the thread that forked it, and an orphan under the thread it was
   * reparented to): a few small reads instead of a stat of every process on the node, every 200 ms.
   * Empty when the kernel has no such files (CONFIG_PROC_CHILDREN off).
   */
  static Optional<Set<Integer>> children(int pid) {
    Set<Integer> out = new HashSet<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        String list;
        try {
          list = Files.readString(task.resolve("children"));
        } catch (NoSuchFileException gone) {
          if (Files.exists(task)) {
            return Optional.empty(); // the thread is there, the file is not: not supported
          }
          continue; // the thread ended meanwhile
        }
        for (String c : list.trim().split(" ")) {
          if (!c.isEmpty()) {
            out.add(Integer.parseInt(c));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(out);
  }

  /** Every process on the node (the fallback where the kernel lists no children). */
  private static Set<Integer> allPids() {
    Set<Integer> out = new HashSet<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
        p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        out.add(Integer.parseInt(p.getFileName().toString()));
      }
    } catch (IOException e) {
      // /proc is always there; a transient failure just skips one scan
    }
    return out;
  }

  /** Field 5 of /proc/PID/stat, -1 if unreadable. */
  static int processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4)[2]);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  /** From /proc/PID/stat: state (field 3) is Z and ppid (field 4) is {@code parent}. */
  static boolean isZombieChildOf(long pid, int parent) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3);
      return rest[0].equals("Z") && Integer.parseInt(rest[1]) == parent;
    } catch (IOException | RuntimeException gone) {
      return false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
