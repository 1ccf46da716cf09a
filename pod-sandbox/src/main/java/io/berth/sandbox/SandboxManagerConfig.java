package io.berth.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the sandbox engine needs from berthd's configuration.
 *
 * <p>Layout it creates:
 * <ul>
 *   <li>{@code <rootDir>/sandboxes/<id>.json} the sandbox record (persistent)
 *   <li>{@code <rootDir>/sandboxes/<id>/} resolv.conf, hosts, hostname
 *   <li>{@code <rootDir>/cni/results/<id>.json} the CNI ADD cache (persistent, like /var/lib/cni)
 *   <li>{@code <stateDir>/pins/<id>/{net,ipc,uts}} pinned namespaces; {@code <stateDir>/pins} is a
 *       private bind mount of itself
 *   <li>{@code <stateDir>/sandboxes/<id>/shm} the pod's /dev/shm tmpfs
 * </ul>
 *
 * @param rootDir persistent data (berth's {@code root_dir}, default /var/lib/berth)
 * @param stateDir state that must not outlive a reboot ({@code state_dir}, default /run/berth)
 * @param cniConfDir where the network config is read ({@code cni.conf_dir}, /etc/cni/net.d)
 * @param cniBinDirs where plugins are searched, in order ({@code cni.bin_dirs})
 * @param shmSizeBytes size of each pod's /dev/shm ({@code pod.shm_size}, 64Mi)
 * @param cniPluginTimeout a plugin still running after this is killed
 * @param hostResolvConf copied into pods that bring no DNS config
 * @param hostHosts copied into host-network pods
 * @param unsharePath util-linux unshare (absolute, or a name looked up in PATH)
 * @param nsenterPath util-linux nsenter (absolute, or a name looked up in PATH)
 */
public record SandboxManagerConfig(
    Path rootDir,
    Path stateDir,
    Path cniConfDir,
    List<Path> cniBinDirs,
    long shmSizeBytes,
    Duration cniPluginTimeout,
    Path hostResolvConf,
    Path hostHosts,
    String unsharePath,
    String nsenterPath) {
  public static final long DEFAULT_SHM_SIZE = 64L << 20;

  public SandboxManagerConfig {
    cniBinDirs = List.copyOf(cniBinDirs);
    if (shmSizeBytes <= 0) {
      throw new IllegalArgumentException("shmSizeBytes must be positive, was " + shmSizeBytes);
    }
  }

  /** The usual settings for everything but the four directories berthd's config names. */
  public static SandboxManagerConfig of(Path rootDir, Path stateDir, Path cniConfDir, List<Path> cniBinDirs) {
    return new SandboxManagerConfig(rootDir, stateDir, cniConfDir, cniBinDirs, DEFAULT_SHM_SIZE,
        Duration.ofMinutes(2), Path.of("/etc/resolv.conf"), Path.of("/etc/hosts"), "unshare", "nsenter");
  }

  public SandboxManagerConfig withShmSizeBytes(long bytes) {
    return new SandboxManagerConfig(rootDir, stateDir, cniConfDir, cniBinDirs, bytes, cniPluginTimeout,
        hostResolvConf, hostHosts, unsharePath, nsenterPath);
  }

  public SandboxManagerConfig withHostFiles(Path resolvConf, Path hosts) {
    return new SandboxManagerConfig(rootDir, stateDir, cniConfDir, cniBinDirs, shmSizeBytes, cniPluginTimeout,
        resolvConf, hosts, unsharePath, nsenterPath);
  }

  Path recordsDir() {
    return rootDir.resolve("sandboxes");
  }

  Path filesDir(String id) {
    return rootDir.resolve("sandboxes").resolve(id);
  }

  Path cniCacheDir() {
    return rootDir.resolve("cni").resolve("results");
  }

  Path pinRoot() {
    return stateDir.resolve("pins");
  }

  Path volatileDir(String id) {
    return stateDir.resolve("sandboxes").resolve(id);
  }

  Path shmDir(String id) {
    return volatileDir(id).resolve("shm");
  }
}
