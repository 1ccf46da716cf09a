package io.berth.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * berthd's effective configuration: the embedded defaults, then the config file, then flags.
 * Field names are the TOML keys (snake_case). Validated by {@link ConfigLoader}; immutable.
 */
public record BerthConfig(
    String socket,
    @JsonProperty("root_dir") String rootDir,
    @JsonProperty("state_dir") String stateDir,
    @JsonProperty("log_level") String logLevel,
    @JsonProperty("sandbox_image") String sandboxImage,
    @JsonProperty("cgroup_driver") String cgroupDriver,
    Runtime runtime,
    Cni cni,
    Pod pod,
    Registry registry,
    Metrics metrics) {

  /** OCI runtimes by handler name (RunPodSandbox's runtime_handler) and the monitor that drives them. */
  public record Runtime(
      @JsonProperty("default_handler") String defaultHandler,
      @JsonProperty("monitor_path") String monitorPath,
      Map<String, Handler> handlers) {}

  /** One OCI runtime binary; {@code path} is a name looked up in PATH, or absolute. */
  public record Handler(String path) {}

  public record Cni(
      @JsonProperty("conf_dir") String confDir,
      @JsonProperty("bin_dirs") List<String> binDirs) {}

  public record Pod(@JsonProperty("shm_size") String shmSize) {}

  public record Registry(
      @JsonProperty("stall_timeout") String stallTimeout,
      @JsonProperty("max_concurrent_downloads") int maxConcurrentDownloads,
      @JsonProperty("max_layer_size") String maxLayerSize,
      Map<String, RegistryHost> hosts) {}

  /**
   * How to reach one registry host, like containerd's hosts.toml: mirrors are tried in order, then
   * the host itself. A mirror is a URL whose scheme says plain HTTP or TLS.
   */
  public record RegistryHost(
      List<String> mirrors,
      @JsonProperty("plain_http") Boolean plainHttp,
      @JsonProperty("ca_file") String caFile,
      @JsonProperty("skip_verify") Boolean skipVerify,
      String username,
      String password,
      String auth) {}

  public record Metrics(String address) {}
}
