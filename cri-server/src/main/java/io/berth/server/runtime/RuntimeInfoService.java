package io.berth.server.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.cri.v1.CgroupDriver;
import io.berth.cri.v1.LinuxRuntimeConfiguration;
import io.berth.cri.v1.RuntimeConfigRequest;
import io.berth.cri.v1.RuntimeConfigResponse;
import io.berth.cri.v1.RuntimeHandler;
import io.berth.cri.v1.RuntimeHandlerFeatures;
import io.berth.cri.v1.RuntimeServiceGrpc;
import io.berth.cri.v1.RuntimeStatus;
import io.berth.cri.v1.StatusRequest;
import io.berth.cri.v1.StatusResponse;
import io.berth.cri.v1.VersionRequest;
import io.berth.cri.v1.VersionResponse;
import io.berth.os.CgroupHost;
import io.berth.server.Json;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigLoader;
import io.berth.server.grpc.CriServiceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Version, Status and RuntimeConfig: what berthd is and whether it can run pods. */
public final class RuntimeInfoService {
  static final String RUNTIME_READY = "RuntimeReady";
  static final String NETWORK_READY = "NetworkReady";

  private final BuildInfo build;
  private final BerthConfig config;
  private final CgroupHost cgroups;
  private final ReadinessProbe runtimeReady;
  private final ReadinessProbe networkReady;

  public RuntimeInfoService(BuildInfo build, BerthConfig config, CgroupHost cgroups,
      ReadinessProbe runtimeReady, ReadinessProbe networkReady) {
    this.build = build;
    this.config = config;
    this.cgroups = cgroups;
    this.runtimeReady = runtimeReady;
    this.networkReady = networkReady;
  }

  public void register(CriServiceBuilder runtime) {
    runtime.unary("Version", RuntimeServiceGrpc::getVersionMethod, this::version)
        .unary("Status", RuntimeServiceGrpc::getStatusMethod, this::status)
        .unary("RuntimeConfig", RuntimeServiceGrpc::getRuntimeConfigMethod, this::runtimeConfig);
  }

  VersionResponse version(VersionRequest request) {
    // "version" is the kubelet-facing API version of the response format; 0.1.0 like containerd/CRI-O.
    return VersionResponse.newBuilder()
        .setVersion("0.1.0")
        .setRuntimeName(BuildInfo.RUNTIME_NAME)
        .setRuntimeVersion(build.version())
        .setRuntimeApiVersion(BuildInfo.CRI_API_VERSION)
        .build();
  }

  StatusResponse status(StatusRequest request) throws JsonProcessingException {
    RuntimeStatus status = RuntimeStatus.newBuilder()
        .addConditions(runtimeReady.check().toCri(RUNTIME_READY))
        .addConditions(networkReady.check().toCri(NETWORK_READY))
        .build();
    StatusResponse.Builder b = StatusResponse.newBuilder().setStatus(status);
    for (String handler : config.runtime().handlers().keySet()) {
      b.addRuntimeHandlers(RuntimeHandler.newBuilder().setName(handler)
          .setFeatures(RuntimeHandlerFeatures.getDefaultInstance()));
    }
    // The default handler is also reachable under the empty name, as in containerd.
    b.addRuntimeHandlers(RuntimeHandler.newBuilder().setName("")
        .setFeatures(RuntimeHandlerFeatures.getDefaultInstance()));
    if (request.getVerbose()) {
      // TOML key names, registry secrets replaced: verbose Status ends up in bug reports.
      b.putInfo("config", Json.mapper().writeValueAsString(ConfigLoader.toTree(config, true)));
      Map<String, Object> host = new LinkedHashMap<>();
      host.put("cgroupMode", cgroups.mode().name().toLowerCase());
      host.put("cgroupDriver", cgroupDriver() == CgroupDriver.SYSTEMD ? "systemd" : "cgroupfs");
      host.put("unifiedControllers", cgroups.unifiedControllers());
      host.put("apparmor", false);
      host.put("selinux", false);
      b.putInfo("host", Json.mapper().writeValueAsString(host));
      b.putInfo("version", Json.mapper().writeValueAsString(Map.of("berth", build.version())));
    }
    return b.build();
  }

  RuntimeConfigResponse runtimeConfig(RuntimeConfigRequest request) {
    return RuntimeConfigResponse.newBuilder()
        .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(cgroupDriver()))
        .build();
  }

  /** "auto" follows the host: systemd when it is PID 1 (kubelet must then use the systemd driver too). */
  public CgroupDriver cgroupDriver() {
    switch (config.cgroupDriver()) {
      case "systemd": return CgroupDriver.SYSTEMD;
      case "cgroupfs": return CgroupDriver.CGROUPFS;
      default: return cgroups.systemdRunning() ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS;
    }
  }
}
