package io.berth.bridge.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.berth.os.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the integration tests need from the host. A missing piece fails the test with the command
 * that installs or sets it up; tests never skip silently.
 */
public final class HostRequirements {
  private HostRequirements() {}

  public static void requireRoot() {
    if (!Linux.load().isRoot()) {
      fail("runtime-bridge integration tests need root (mounts, namespaces, cgroups): run them as root");
    }
  }

  public static Path requireBinary(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return fail(name + " is not installed: apt-get install " + debianPackage);
  }

  /** crun 1.8.1 refuses the hybrid cgroup layout of this VM unless hugetlb is mounted as v1. */
  public static void requireHugetlbV1ForCrun() {
    Path unified = Path.of("/sys/fs/cgroup/unified");
    Path hugetlb = Path.of("/sys/fs/cgroup/hugetlb");
    if (!Files.isDirectory(unified)) {
      return;
    }
    try {
      boolean mounted = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .anyMatch(l -> l.split(" ")[4].equals(hugetlb.toString()));
      if (!mounted) {
        fail("crun needs the hugetlb cgroup controller mounted as v1 on this host: "
            + "mkdir -p /sys/fs/cgroup/hugetlb && mountpoint -q /sys/fs/cgroup/hugetlb || "
            + "mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb");
      }
    } catch (IOException e) {
      fail("cannot read /proc/self/mountinfo: " + e);
    }
  }
}
