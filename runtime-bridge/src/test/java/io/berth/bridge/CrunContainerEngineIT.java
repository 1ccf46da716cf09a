package io.berth.bridge;

import io.berth.bridge.oci.RuntimeHandler;
import java.nio.file.Path;

/** The container engine matrix on crun, with berth-monitor. */
class CrunContainerEngineIT extends ContainerEngineContract {
  @Override
  RuntimeHandler handler(Path runtimeRoot) {
    return RuntimeHandler.crun(runtimeRoot.resolve("crun"));
  }
}
