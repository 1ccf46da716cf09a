package io.berth.bridge.oci;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One configured OCI runtime: the CRI runtime handler name kubelet asks for (the pod's
 * {@code runtime_handler}), which CLI it is, its binary and its state root (its {@code --root}).
 *
 * @param systemdCgroup pass {@code --systemd-cgroup} (the systemd cgroup driver)
 */
public record RuntimeHandler(String name, Kind kind, Path binary, Path root, boolean systemdCgroup) {
  public enum Kind { CRUN, RUNC }

  public RuntimeHandler {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(root, "root");
  }

  public static RuntimeHandler crun(Path root) {
    return new RuntimeHandler("crun", Kind.CRUN, Path.of("/usr/bin/crun"), root, false);
  }

  public static RuntimeHandler runc(Path root) {
    return new RuntimeHandler("runc", Kind.RUNC, Path.of("/usr/sbin/runc"), root, false);
  }
}
