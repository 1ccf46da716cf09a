package io.berth.bridge.spec;

import io.berth.bridge.spec.oci.Oci;
import java.util.List;

/** containerd's defaults for CRI containers (pkg/oci populateDefaultUnixSpec and the CRI plugin). */
public final class SpecDefaults {
  private SpecDefaults() {}

  public static final String DEFAULT_PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Paths hidden from unprivileged containers (bind-mounted over with /dev/null or an empty tmpfs). */
  public static final List<String> MASKED_PATHS = List.of(
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
      "/sys/devices/virtual/powercap", "/proc/scsi");

  /** Paths made read-only in unprivileged containers. */
  public static final List<String> READONLY_PATHS = List.of(
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /** The file-system mounts every container gets, before CRI mounts override or add to them. */
  public static List<Oci.Mount> mounts(boolean privileged) {
    String sysMode = privileged ? "rw" : "ro";
    return List.of(
        new Oci.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
        new Oci.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
        new Oci.Mount("/dev/pts", "devpts", "devpts",
            List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
        new Oci.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
        new Oci.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
        new Oci.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysMode)),
        new Oci.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", sysMode)));
  }
}
