package io.berth.bridge;

import io.berth.bridge.oci.RuntimeHandler;
import io.berth.bridge.testing.HostRequirements;
import java.nio.file.Path;

/**
 * The container engine matrix on crun with Debian's conmon as the monitor: conmon stays
 * selectable ({@code runtime.monitor_path = "conmon"}), so the engine must keep working with it.
 */
class CrunConmonContainerEngineIT extends ContainerEngineContract {
  @Override
  RuntimeHandler handler(Path runtimeRoot) {
    return RuntimeHandler.crun(runtimeRoot.resolve("crun"));
  }

  @Override
  Path monitorBinary() {
    return HostRequirements.requireBinary("conmon", "conmon");
  }
}
