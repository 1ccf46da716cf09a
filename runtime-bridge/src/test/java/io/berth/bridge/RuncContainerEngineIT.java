package io.berth.bridge;

import io.berth.bridge.oci.RuntimeHandler;
import java.nio.file.Path;

/** The container engine matrix on runc, with berth-monitor. */
class RuncContainerEngineIT extends ContainerEngineContract {
  @Override
  RuntimeHandler handler(Path runtimeRoot) {
    return RuntimeHandler.runc(runtimeRoot.resolve("runc"));
  }
}
