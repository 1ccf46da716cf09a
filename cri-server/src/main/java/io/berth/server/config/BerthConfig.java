package io.berth.server.config;

import java.util.List;
import java.util.Map;

/**
 * berthd's effective configuration: the embedded defaults, then the config file, then flags.
 * The TOML keys (snake_case) are bound in {@link BerthConfigBinding}. Validated by {@link ConfigLoader}; immutable.
 */
public record BerthConfig(
    String socket,
    String rootDir,
    String stateDir,
    String logLevel,
    String sandboxImage,
    String cgroupDriver,
    Runtime runtime,
    Cni cni,
    Pod pod,
    Registry registry,
    Metrics metrics) {

  /** OCI runtimes by handler name (RunPodSandbox's runtime_handler) and the monitor that drives them. */
  public record Runtime(
      String defaultHandler,
      String monitorPath,
      Map<String, Handler> handlers) {}

  /** One OCI runtime binary; {@code path} is a name looked up in PATH, or absolute. */
  public record Handler(String path) {}

  public record Cni(
      String confDir,
      List<String> binDirs) {}

  public record Pod(String shmSize) {}

  public record Registry(
      String stallTimeout,
      int maxConcurrentDownloads,
      String maxLayerSize,
      Map<String, RegistryHost> hosts) {}

  /**
   * How to reach one registry host, like containerd's hosts.toml: mirrors are tried in order, then
   * the host itself. A mirror is a URL whose scheme says plain HTTP or TLS.
   */
  public record RegistryHost(
      List<String> mirrors,
      Boolean plainHttp,
      String caFile,
      Boolean skipVerify,
      String username,
      String password,
      String auth) {}

  public record Metrics(String address) {}
}
