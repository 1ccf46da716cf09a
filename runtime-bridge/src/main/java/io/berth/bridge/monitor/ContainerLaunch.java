package io.berth.bridge.monitor;

import io.berth.bridge.oci.OciRuntime;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A container for conmon to create.
 *
 * @param bundle the OCI bundle (config.json); conmon also puts its ctl/winsz fifos, the attach
 *     socket and the "oom" marker there
 * @param logPath the CRI log file (k8s-file format)
 */
public record ContainerLaunch(String id, String name, Path bundle, Path logPath, OciRuntime runtime,
    boolean terminal, boolean stdin, boolean stdinOnce) {
  public ContainerLaunch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(logPath, "logPath");
    Objects.requireNonNull(runtime, "runtime");
    name = name == null || name.isEmpty() ? id : name;
  }
}
