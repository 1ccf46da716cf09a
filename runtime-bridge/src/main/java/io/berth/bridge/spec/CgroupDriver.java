package io.berth.bridge.spec;

/** How {@code linux.cgroupsPath} is spelled and which flag the runtimes get. */
public enum CgroupDriver {
  /** {@code /parent/id}, the only driver on a host without systemd (like this VM). */
  CGROUPFS,
  /** {@code parent.slice:berth:id}, and {@code --systemd-cgroup} on the runtime command line. */
  SYSTEMD
}
