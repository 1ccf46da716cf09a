package io.berth.bridge;

import io.berth.bridge.monitor.MonitorConfig;
import io.berth.bridge.oci.RuntimeHandler;
import io.berth.bridge.spec.CgroupDriver;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where {@link ContainerEngine} keeps its state and which runtimes and monitor it drives.
 *
 * @param containersDir one directory per container: state.json, the bundle (config.json), the
 *     overlay's rootfs/upper/work, and the monitor's ctl fifo, exit and oom files
 * @param handlers runtime handlers by CRI handler name; the empty handler name means
 *     {@code defaultHandler}
 */
public record EngineConfig(Path containersDir, Map<String, RuntimeHandler> handlers, String defaultHandler,
    MonitorConfig monitor, CgroupDriver cgroupDriver) {

  public EngineConfig {
    Objects.requireNonNull(containersDir, "containersDir");
    Objects.requireNonNull(monitor, "monitor");
    handlers = Map.copyOf(handlers);
    if (!handlers.containsKey(defaultHandler)) {
      throw new IllegalArgumentException("default handler " + defaultHandler + " is not configured");
    }
    cgroupDriver = cgroupDriver == null ? CgroupDriver.CGROUPFS : cgroupDriver;
  }

  /** crun (default) and runc with their state under {@code runtimeRoot}, everything else under {@code stateRoot}. */
  public static EngineConfig standard(Path stateRoot, Path runtimeRoot) {
    Map<String, RuntimeHandler> handlers = new LinkedHashMap<>();
    for (RuntimeHandler h : List.of(RuntimeHandler.crun(runtimeRoot.resolve("crun")),
        RuntimeHandler.runc(runtimeRoot.resolve("runc")))) {
      handlers.put(h.name(), h);
    }
    return new EngineConfig(stateRoot.resolve("containers"), handlers, "crun", MonitorConfig.under(stateRoot),
        CgroupDriver.CGROUPFS);
  }
}
