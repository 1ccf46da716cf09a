package io.berth.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How this host's cgroups are laid out: pure v2 (unified), pure v1, or hybrid (v1 hierarchies plus
 * a cgroup2 mount at {@code /sys/fs/cgroup/unified}). crun 1.8 refuses hybrid hosts while the
 * cgroup2 mount still owns a controller (on Debian: hugetlb), which we must detect and explain.
 */
public record CgroupHost(Mode mode, List<String> unifiedControllers, boolean systemdRunning) {
  public enum Mode { V1, V2, HYBRID }

  public static CgroupHost detect() {
    return detect(Path.of("/sys/fs/cgroup"), Path.of("/run/systemd/system"));
  }

  static CgroupHost detect(Path root, Path systemdMarker) {
    boolean systemd = Files.isDirectory(systemdMarker);
    Path v2Controllers = root.resolve("cgroup.controllers");
    if (Files.exists(v2Controllers)) {
      return new CgroupHost(Mode.V2, readControllers(v2Controllers), systemd);
    }
    Path hybrid = root.resolve("unified/cgroup.controllers");
    if (Files.exists(hybrid)) {
      return new CgroupHost(Mode.HYBRID, readControllers(hybrid), systemd);
    }
    return new CgroupHost(Mode.V1, List.of(), systemd);
  }

  /** True when a hybrid host's cgroup2 mount still owns controllers (crun 1.8 then refuses to run). */
  public boolean hybridWithV2Controllers() {
    return mode == Mode.HYBRID && !unifiedControllers.isEmpty();
  }

  private static List<String> readControllers(Path file) {
    try {
      String s = Files.readString(file).trim();
      return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    } catch (IOException e) {
      return List.of();
    }
  }
}
