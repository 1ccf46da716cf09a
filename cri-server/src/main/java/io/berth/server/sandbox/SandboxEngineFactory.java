package io.berth.server.sandbox;

import io.berth.os.Executables;
import io.berth.sandbox.PodContainers;
import io.berth.sandbox.PodSandboxManager;
import io.berth.sandbox.SandboxManagerConfig;
import io.berth.sandbox.infra.CatatonitInfraProcess;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigException;
import io.berth.server.config.Quantities;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the pod-sandbox engine from berthd's configuration. */
public final class SandboxEngineFactory {
  private SandboxEngineFactory() {}

  public static PodSandboxManager create(BerthConfig config, PodContainers containers) throws IOException {
    List<Path> binDirs = config.cni().binDirs().stream().map(Path::of).collect(Collectors.toList());
    long shm;
    try {
      shm = Quantities.bytes("pod.shm_size", config.pod().shmSize());
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e); // validated at load time
    }
    SandboxManagerConfig sandboxConfig = SandboxManagerConfig.of(Path.of(config.rootDir()),
        Path.of(config.stateDir()), Path.of(config.cni().confDir()), binDirs).withShmSizeBytes(shm);
    CatatonitInfraProcess infra = new CatatonitInfraProcess(Executables.find("catatonit"),
        tool("nsenter"), tool("unshare"), tool("setsid"));
    return new PodSandboxManager(sandboxConfig, config.runtime().handlers().keySet(), containers, infra);
  }

  private static Path tool(String name) {
    return Executables.find(name).orElse(Path.of("/usr/bin/" + name));
  }
}
