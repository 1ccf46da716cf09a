package io.berth.server.runtime;

import io.berth.os.CgroupHost;
import io.berth.bridge.monitor.MonitorConfig;
import io.berth.os.Executables;
import io.berth.server.config.BerthConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * RuntimeReady: the default OCI runtime and the monitor can be found, and the host's cgroups are
 * usable by that runtime. The message says what to do, because an operator reads it in
 * {@code kubectl describe node} or {@code crictl info}.
 */
public final class RuntimeReadiness implements ReadinessProbe {
  private final BerthConfig.Runtime runtime;
  private final CgroupHost cgroups;

  public RuntimeReadiness(BerthConfig.Runtime runtime, CgroupHost cgroups) {
    this.runtime = runtime;
    this.cgroups = cgroups;
  }

  @Override
  public Condition check() {
    String handler = runtime.defaultHandler();
    String binary = runtime.handlers().get(handler).path();
    Optional<Path> found = Executables.find(binary);
    if (found.isEmpty()) {
      return Condition.notReady("OCIRuntimeNotFound", "runtime handler \"" + handler + "\": " + binary
          + " not found (install it: apt-get install " + Path.of(binary).getFileName() + ")");
    }
    if (MonitorConfig.locate(runtime.monitorPath()).isEmpty()) {
      return Condition.notReady("MonitorNotFound", "container monitor " + runtime.monitorPath() + " not found ("
          + (runtime.monitorPath().contains("conmon") ? "install it: apt-get install conmon"
              : "install berth with deploy/install.sh, it puts berth-monitor into " + MonitorConfig.LIBEXEC) + ")");
    }
    if (found.get().getFileName().toString().contains("crun") && cgroups.hybridWithV2Controllers()) {
      return Condition.notReady("HybridCgroupsUnsupported", "crun refuses hybrid cgroups while cgroup2 owns "
          + cgroups.unifiedControllers() + "; mount them as v1, e.g. mkdir -p /sys/fs/cgroup/hugetlb && "
          + "mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb");
    }
    return Condition.ok();
  }
}
