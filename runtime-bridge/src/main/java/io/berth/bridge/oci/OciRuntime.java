package io.berth.bridge.oci;

import io.berth.bridge.spec.oci.Oci;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An OCI runtime CLI (crun, runc) for one runtime handler. Creation is not here: the per-container
 * monitor runs {@code <runtime> create} (see {@code io.berth.bridge.monitor.ContainerMonitor}), using
 * {@link #binary()} and {@link #globalArgs()}.
 */
public interface OciRuntime {

  RuntimeHandler handler();

  default String name() {
    return handler().name();
  }

  default Path binary() {
    return handler().binary();
  }

  /** The arguments every invocation starts with: {@code --root=<dir>} and maybe {@code --systemd-cgroup}. */
  List<String> globalArgs();

  /** {@code <runtime> start <id>}: runs the created container's process. */
  void start(String id) throws IOException;

  /** {@code <runtime> kill [--all] <id> <signal>}; throws with {@code isNotFound()} if nothing is running. */
  void kill(String id, int signal, boolean all) throws IOException;

  /** {@code <runtime> state <id>}, or empty if the runtime does not know the container. */
  Optional<RuntimeState> state(String id) throws IOException;

  /** {@code <runtime> delete --force <id>}; a container the runtime does not know is not an error. */
  void delete(String id) throws IOException;

  /** {@code <runtime> update --resources <file> <id>}: new cgroup limits for a live container. */
  void update(String id, Oci.Resources resources, Path scratchDir) throws IOException;
}
