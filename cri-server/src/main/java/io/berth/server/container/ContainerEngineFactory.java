package io.berth.server.container;

import io.berth.bridge.ContainerEngine;
import io.berth.bridge.EngineConfig;
import io.berth.bridge.monitor.MonitorConfig;
import io.berth.bridge.oci.RuntimeHandler;
import io.berth.bridge.spec.CgroupDriver;
import io.berth.bridge.spec.HostFacts;
import io.berth.bridge.spec.LinuxHostView;
import io.berth.os.Executables;
import io.berth.os.Linux;
import io.berth.server.config.BerthConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the runtime engine from berthd's configuration: handlers, monitor, state dirs. */
public final class ContainerEngineFactory {
  private ContainerEngineFactory() {}

  public static ContainerEngine create(BerthConfig config, boolean systemdDriver, Linux linux) throws IOException {
    Path state = Path.of(config.stateDir());
    Map<String, RuntimeHandler> handlers = new LinkedHashMap<>();
    for (Map.Entry<String, BerthConfig.Handler> e : config.runtime().handlers().entrySet()) {
      Path binary = Executables.find(e.getValue().path()).orElse(Path.of(e.getValue().path()));
      RuntimeHandler.Kind kind = binary.getFileName().toString().contains("runc")
          ? RuntimeHandler.Kind.RUNC : RuntimeHandler.Kind.CRUN;
      handlers.put(e.getKey(), new RuntimeHandler(e.getKey(), kind, binary,
          state.resolve("runtime").resolve(e.getKey()), systemdDriver));
    }
    String monitorPath = config.runtime().monitorPath();
    Path monitorBinary = MonitorConfig.locate(monitorPath).orElse(Path.of(monitorPath));
    MonitorConfig monitor = new MonitorConfig(monitorBinary, state.resolve("exits"), state.resolve("attach"),
        "debug".equals(config.logLevel()) ? "debug" : "info", false, Duration.ofMinutes(4));
    // Bundles and writable layers persist (root dir), like containerd's; monitors' fifos and exit
    // files live in the state dir.
    EngineConfig engine = new EngineConfig(Path.of(config.rootDir(), "containers"), handlers,
        config.runtime().defaultHandler(), monitor, systemdDriver ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS);
    return new ContainerEngine(engine, HostFacts.probe(), new LinuxHostView(), linux);
  }
}
