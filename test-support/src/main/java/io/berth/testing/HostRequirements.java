package io.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;

/**
 * What an integration test needs from the host. A missing piece FAILS the test (tests never skip)
 * with a message saying how to get it on Debian.
 *
 * <pre>{@code HostRequirements.require(Requirement.ROOT, Requirement.CRUN, Requirement.HUGETLB_V1);}</pre>
 */
public final class HostRequirements {
  private HostRequirements() {}

  /** One thing a test needs, how to check it and how to fix it. */
  public enum Requirement {
    ROOT("running as root", "run the tests as root (sudo -E mvn verify)", HostRequirements::isRoot),
    CRUN("crun", "apt-get install -y crun", () -> onPath("crun")),
    RUNC("runc", "apt-get install -y runc", () -> onPath("runc")),
    CONMON("conmon", "apt-get install -y conmon", () -> onPath("conmon")),
    BERTH_MONITOR("the berth-monitor this build compiled (system property " + BuiltMonitor.PROPERTY + ")",
        "run the tests through Maven after runtime-bridge's compile phase (mvn -pl runtime-bridge compile;"
            + " it needs apt-get install -y gcc libc6-dev)", () -> BuiltMonitor.path().isPresent()),
    CNI_PLUGINS("CNI plugins in /usr/lib/cni (bridge, host-local, loopback, portmap)",
        "apt-get install -y containernetworking-plugins",
        () -> List.of("bridge", "host-local", "loopback", "portmap").stream()
            .allMatch(p -> Files.isExecutable(Path.of("/usr/lib/cni", p)))),
    DOCKER_REGISTRY("docker-registry",
        "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d"
            + " && apt-get install -y docker-registry; rm -f /usr/sbin/policy-rc.d"
            + " (the policy keeps Debian's own registry service from starting on :5000)",
        () -> onPath("docker-registry")),
    SKOPEO("skopeo", "apt-get install -y skopeo", () -> onPath("skopeo")),
    CATATONIT("catatonit", "apt-get install -y catatonit", () -> Files.isExecutable(Path.of("/usr/bin/catatonit"))),
    OPENSSL("openssl", "apt-get install -y openssl", () -> onPath("openssl")),
    HTPASSWD("htpasswd", "apt-get install -y apache2-utils", () -> onPath("htpasswd")),
    DPKG_DEB("dpkg-deb", "apt-get install -y dpkg", () -> onPath("dpkg-deb")),
    APT_GET("apt-get", "run on Debian (apt-get is needed to download busybox and libc6)", () -> onPath("apt-get")),
    TAR("GNU tar", "apt-get install -y tar", () -> onPath("tar")),
    CHROOT("chroot", "apt-get install -y coreutils", () -> onPath("chroot")),
    IPTABLES("iptables", "apt-get install -y iptables", () -> onPath("iptables")),
    HUGETLB_V1("the hugetlb cgroup v1 hierarchy at /sys/fs/cgroup/hugetlb (crun 1.8 refuses hybrid hosts without it)",
        "mkdir -p /sys/fs/cgroup/hugetlb && mountpoint -q /sys/fs/cgroup/hugetlb"
            + " || mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb",
        HostRequirements::hugetlbMounted);

    private final String what;
    private final String fix;
    private final BooleanSupplier check;

    Requirement(String what, String fix, BooleanSupplier check) {
      this.what = what;
      this.fix = fix;
      this.check = check;
    }

    public boolean isMet() {
      return check.getAsBoolean();
    }

    public String what() {
      return what;
    }

    /** The command (or action) that provides it on Debian. */
    public String fix() {
      return fix;
    }
  }

  /** What building the test images needs. */
  public static final List<Requirement> IMAGES = List.of(Requirement.APT_GET, Requirement.DPKG_DEB, Requirement.CATATONIT);
  /** What {@link RegistryFixture} needs (TLS and basic auth variants included). */
  public static final List<Requirement> REGISTRY = List.of(Requirement.DOCKER_REGISTRY, Requirement.OPENSSL, Requirement.HTPASSWD);
  /** What running containers through berthd needs on this kind of host. */
  public static final List<Requirement> CONTAINERS = List.of(Requirement.ROOT, Requirement.CRUN, Requirement.RUNC,
      Requirement.BERTH_MONITOR, Requirement.CNI_PLUGINS, Requirement.CATATONIT, Requirement.HUGETLB_V1);

  /** The unmet ones of {@code requirements}, in order. */
  public static List<Requirement> missing(List<Requirement> requirements) {
    List<Requirement> out = new ArrayList<>();
    for (Requirement r : requirements) {
      if (!r.isMet() && !out.contains(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Fails the calling test, listing every unmet requirement with its fix. */
  public static void require(Requirement... requirements) {
    require(Arrays.asList(requirements));
  }

  public static void require(List<Requirement> requirements) {
    List<Requirement> missing = missing(requirements);
    if (!missing.isEmpty()) {
      StringBuilder msg = new StringBuilder("this test needs what the host lacks:");
      for (Requirement r : missing) {
        msg.append("\n  - ").append(r.what()).append(": ").append(r.fix());
      }
      Assertions.fail(msg.toString());
    }
  }

  static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return ((Number) uid).intValue() == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  static boolean onPath(String binary) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    List<String> dirs = new ArrayList<>(Arrays.asList(path.split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin")); // root's tools, even when PATH is a user's
    return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, binary)));
  }

  private static boolean hugetlbMounted() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(l -> l.split(" "))
          .anyMatch(f -> f.length > 4 && f[4].equals("/sys/fs/cgroup/hugetlb") && String.join(" ", f).contains(" - cgroup "));
    } catch (IOException e) {
      return false;
    }
  }
}
