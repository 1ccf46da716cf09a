package io.berth.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU and memory use of the cgroup a process is in, read the way cAdvisor and containerd do, on
 * cgroup v1 (cpuacct, memory hierarchies) and v2 (unified). The cgroup is found through
 * {@code /proc/PID/cgroup}, so it works whatever the cgroup driver or parent.
 *
 * @param cpuNanos total CPU time used
 * @param memoryUsage all memory charged, page cache included
 * @param workingSet usage minus inactive file pages: what kubelet evicts on
 * @param rss anonymous memory
 */
public record CgroupUsage(long cpuNanos, long memoryUsage, long workingSet, long rss) {

  public static Optional<CgroupUsage> ofProcess(long pid) {
    return ofProcess(pid, Path.of("/proc"), Path.of("/sys/fs/cgroup"));
  }

  static Optional<CgroupUsage> ofProcess(long pid, Path proc, Path cgroupRoot) {
    Map<String, String> paths;
    try {
      paths = parse(Files.readString(proc.resolve(pid + "/cgroup")));
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      if (Files.exists(cgroupRoot.resolve("cgroup.controllers")) && paths.containsKey("")) {
        Path dir = cgroupRoot.resolve(relative(paths.get("")));
        long cpu = statValue(dir.resolve("cpu.stat"), "usage_usec") * 1000;
        long usage = readLong(dir.resolve("memory.current"));
        Map<String, Long> mem = stat(dir.resolve("memory.stat"));
        long inactive = mem.getOrDefault("inactive_file", 0L);
        return Optional.of(new CgroupUsage(cpu, usage, Math.max(0, usage - inactive), mem.getOrDefault("anon", 0L)));
      }
      Path cpuDir = v1Dir(cgroupRoot, paths, "cpuacct");
      Path memDir = v1Dir(cgroupRoot, paths, "memory");
      long cpu = readLong(cpuDir.resolve("cpuacct.usage"));
      long usage = readLong(memDir.resolve("memory.usage_in_bytes"));
      Map<String, Long> mem = stat(memDir.resolve("memory.stat"));
      long inactive = mem.getOrDefault("total_inactive_file", 0L);
      return Optional.of(new CgroupUsage(cpu, usage, Math.max(0, usage - inactive), mem.getOrDefault("total_rss", 0L)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the process or its cgroup went away
    }
  }

  /** controller (or "" for the v2 line) -> path; "cpu,cpuacct" is split per controller. */
  static Map<String, String> parse(String procCgroup) {
    Map<String, String> out = new HashMap<>();
    for (String line : procCgroup.split("\n")) {
      String[] f = line.split(":", 3);
      if (f.length < 3) {
        continue;
      }
      if (f[1].isEmpty()) {
        out.put("", f[2]);
      }
      for (String c : f[1].split(",")) {
        out.put(c, f[2]);
      }
    }
    return out;
  }

  private static Path v1Dir(Path root, Map<String, String> paths, String controller) throws IOException {
    String p = paths.get(controller);
    if (p == null) {
      throw new IOException("no " + controller + " cgroup");
    }
    for (String mount : new String[] {controller, "cpu,cpuacct", "cpuacct,cpu"}) {
      Path dir = root.resolve(mount).resolve(relative(p));
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    throw new IOException("no " + controller + " hierarchy for " + p);
  }

  private static String relative(String p) {
    return p.startsWith("/") ? p.substring(1) : p;
  }

  private static long readLong(Path f) throws IOException {
    return Long.parseLong(Files.readString(f).trim());
  }

  private static long statValue(Path f, String key) throws IOException {
    return stat(f).getOrDefault(key, 0L);
  }

  private static Map<String, Long> stat(Path f) throws IOException {
    Map<String, Long> out = new HashMap<>();
    for (String line : Files.readAllLines(f)) {
      int sp = line.indexOf(' ');
      if (sp > 0) {
        try {
          out.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim()));
        } catch (NumberFormatException ignored) {
          // not a counter
        }
      }
    }
    return out;
  }
}
