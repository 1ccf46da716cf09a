package io.berth.bridge.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the spec builder must know about the host, read once at startup: the capability bounding set
 * (this VM lacks CAP_SYS_RESOURCE, and a runtime asked for a capability the host lacks fails), the
 * daemon's own oom_score_adj (a container may not go below it: lowering needs CAP_SYS_RESOURCE),
 * the cgroup mode and controllers, the architecture and kernel for seccomp, and AppArmor.
 *
 * @param arch the machine name as {@code uname -m} spells it ({@code x86_64}, {@code aarch64})
 */
public record HostFacts(
    Set<String> boundingCapabilities,
    int oomScoreAdj,
    boolean cgroupV2,
    boolean hugetlbController,
    boolean swapAccounting,
    String arch,
    KernelVersion kernel,
    boolean appArmorEnabled) {

  public HostFacts {
    boundingCapabilities = Set.copyOf(boundingCapabilities);
  }

  /** Reads the facts of the host this JVM runs on. */
  public static HostFacts probe() {
    try {
      String status = Files.readString(Path.of("/proc/self/status"));
      long capBnd = 0;
      for (String line : status.split("\n")) {
        if (line.startsWith("CapBnd:")) {
          capBnd = Long.parseUnsignedLong(line.substring("CapBnd:".length()).trim(), 16);
        }
      }
      int oom = Integer.parseInt(Files.readString(Path.of("/proc/self/oom_score_adj")).trim());
      Path cgroupRoot = Path.of("/sys/fs/cgroup");
      boolean v2 = Files.exists(cgroupRoot.resolve("cgroup.controllers"));
      boolean hugetlb;
      boolean swap;
      if (v2) {
        String controllers = Files.readString(cgroupRoot.resolve("cgroup.controllers"));
        hugetlb = Set.of(controllers.trim().split("\\s+")).contains("hugetlb");
        swap = Files.exists(cgroupRoot.resolve(selfCgroupV2().substring(1)).resolve("memory.swap.max"));
      } else {
        hugetlb = hasHugetlbFiles(cgroupRoot.resolve("hugetlb"));
        swap = Files.exists(cgroupRoot.resolve("memory/memory.memsw.limit_in_bytes"));
      }
      Path apparmor = Path.of("/sys/module/apparmor/parameters/enabled");
      boolean appArmor = Files.isReadable(apparmor) && Files.readString(apparmor).trim().startsWith("Y");
      return new HostFacts(Capabilities.fromMask(capBnd), oom, v2, hugetlb, swap,
          unameMachine(), KernelVersion.parse(System.getProperty("os.version")), appArmor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read host facts from /proc and /sys", e);
    }
  }

  private static boolean hasHugetlbFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("hugetlb."));
    }
  }

  private static String selfCgroupV2() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      if (line.startsWith("0::")) {
        return line.substring(3);
      }
    }
    return "/";
  }

  /** Java says {@code amd64} where the kernel says {@code x86_64}. */
  private static String unameMachine() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> arch;
    };
  }
}
