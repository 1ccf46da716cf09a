package io.berth.bridge.spec;

import io.berth.bridge.spec.oci.Oci;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The few facts about host paths the spec builder needs: where a bind-mount source really is, what
 * propagation its mount has, which device nodes a device path names, and the content of a Localhost
 * seccomp profile. Kept behind an interface so the builder stays a pure function in unit tests.
 */
public interface HostView {

  /** The path with symlinks resolved, or empty if it does not exist. */
  Optional<Path> realPath(String hostPath) throws IOException;

  /** The propagation of the mount that {@code path} (already resolved) lives on. */
  Propagation propagationOf(Path path) throws IOException;

  /**
   * The device node at {@code hostPath} as it should appear at {@code containerPath}; for a
   * directory, every device node below it, at the same relative path under {@code containerPath}.
   */
  List<Oci.Device> devices(Path hostPath, String containerPath) throws IOException;

  /** Every device node under the host's /dev, for privileged containers. */
  List<Oci.Device> allHostDevices() throws IOException;

  byte[] readFile(Path path) throws IOException;
}
