package io.berth.server;

import io.berth.os.CgroupHost;
import io.berth.server.config.BerthConfig;
import io.berth.server.grpc.CriServiceBuilder;
import io.berth.server.grpc.RpcInterceptor;
import io.berth.server.grpc.SocketOwnership;
import io.berth.server.grpc.UnixSocketServer;
import io.berth.server.image.ImageService;
import io.berth.server.log.StructuredLogger;
import io.berth.server.metrics.MetricsServer;
import io.berth.server.metrics.RpcMetrics;
import io.berth.server.runtime.BuildInfo;
import io.berth.server.runtime.Condition;
import io.berth.server.runtime.RuntimeInfoService;
import io.berth.server.runtime.ReadinessProbe;
import io.berth.server.runtime.RuntimeReadiness;
import io.berth.server.sandbox.SandboxEngineFactory;
import io.berth.server.sandbox.SandboxRpcs;
import io.berth.cri.v1.CgroupDriver;
import io.berth.cri.v1.RuntimeCondition;
import io.berth.os.ChildReaper;
import io.berth.os.Linux;
import io.berth.server.container.ContainerEngineFactory;
import io.berth.server.container.ContainerService;
import io.berth.sandbox.PodSandboxManager;
import io.grpc.ServerInterceptors;
import io.grpc.util.MutableHandlerRegistry;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The daemon's lifecycle: claim the socket, wire the services, serve, and on shutdown stop
 * accepting, finish in-flight calls and remove the socket. Containers are not touched on shutdown:
 * their monitors keep them running until a new berthd takes over.
 */
public final class Berthd implements AutoCloseable {
  private static final StructuredLogger LOG = StructuredLogger.get(Berthd.class);

  private final BerthConfig config;
  private SocketOwnership ownership;
  private UnixSocketServer server;
  private MetricsServer metricsServer;
  private static final Condition STARTING = Condition.notReady("BerthdStarting",
      "berthd is starting: restoring images, pods and containers");

  private volatile boolean restored;
  private volatile PodSandboxManager sandboxes;
  private ContainerService containers;
  private ChildReaper reaper;

  public Berthd(BerthConfig config) {
    this.config = config;
  }

  public void start() throws IOException {
    Path socket = Path.of(config.socket());
    ownership = SocketOwnership.claim(socket);
    try {
      Files.createDirectories(Path.of(config.rootDir()));
      Files.createDirectories(Path.of(config.stateDir()));
      CollectorRegistry registry = new CollectorRegistry(true);
      BuildInfo build = BuildInfo.load();
      CgroupHost cgroups = CgroupHost.detect();

      // Serve at once, before restoring state: Version and Status answer (Status says RuntimeReady
      // is false while starting) and every other RPC is UNAVAILABLE, which kubelet retries. The full
      // services replace these on the same socket once images, pods and containers are restored.
      RpcInterceptor interceptor = new RpcInterceptor(new RpcMetrics(registry));
      ReadinessProbe runtimeReadiness = new RuntimeReadiness(config.runtime(), cgroups);
      RuntimeInfoService info = new RuntimeInfoService(build, config, cgroups,
          () -> restored ? runtimeReadiness.check() : STARTING,
          () -> restored ? Condition.of(sandboxes.networkReadyCondition()) : STARTING);
      CriServiceBuilder startingRuntime = CriServiceBuilder.runtimeService();
      info.register(startingRuntime);
      MutableHandlerRegistry services = new MutableHandlerRegistry();
      services.addService(ServerInterceptors.intercept(startingRuntime.buildWhileStarting(STARTING.message()), interceptor));
      services.addService(ServerInterceptors.intercept(CriServiceBuilder.imageService()
          .buildWhileStarting(STARTING.message()), interceptor));
      server = UnixSocketServer.start(socket, services);
      ownership.restrictPermissions();
      if (!config.metrics().address().isEmpty()) {
        metricsServer = MetricsServer.start(config.metrics().address(), registry);
      }
      long tServing = System.nanoTime();

      ImageService images = ImageService.open(config, registry);
      long tImages = System.nanoTime();
      Linux linux = Linux.load();
      // Orphans (monitors, killed exec processes) come to berthd and are reaped at once, instead of
      // lingering as zombies visible in their pod until the host's PID 1 gets to them.
      reaper = ChildReaper.start(linux);
      // Containers and sandboxes refer to each other (a container joins its pod; stopping a pod
      // stops its containers): the container service looks sandboxes up through this object,
      // which has them by the time the full services are installed.
      containers = new ContainerService(
          ContainerEngineFactory.create(config, info.cgroupDriver() == CgroupDriver.SYSTEMD, linux),
          images.images(), id -> sandboxes.find(id), Path.of(config.rootDir(), "cri-containers"),
          reaper::reapOrphansNow);
      images.useSnapshotUsage(containers);
      sandboxes = SandboxEngineFactory.create(config, containers);

      CriServiceBuilder runtimeService = CriServiceBuilder.runtimeService();
      info.register(runtimeService);
      SandboxRpcs.register(runtimeService, sandboxes);
      containers.register(runtimeService);
      CriServiceBuilder imageService = CriServiceBuilder.imageService();
      images.register(imageService);
      restored = true;
      services.addService(ServerInterceptors.intercept(runtimeService.build(), interceptor));
      services.addService(ServerInterceptors.intercept(imageService.build(), interceptor));
      long tRestored = System.nanoTime();
      // As containerd does at start-up: say at once whether pods can get a network (kubelet's
      // Status calls would tell only kubelet).
      boolean networkReady = false;
      try {
        RuntimeCondition network = sandboxes.networkReadyCondition();
        networkReady = network.getStatus();
        if (!networkReady) {
          LOG.warn("pod network not ready", "message", network.getMessage());
        }
      } catch (RuntimeException e) {
        // Only a message: berthd is up, and Status reports the network to kubelet on each call.
        LOG.warn("pod network not ready", "message", String.valueOf(e));
      }
      LOG.info("berthd serving", "socket", socket, "version", build.version(), "root", config.rootDir(),
          "state", config.stateDir(), "metrics", metricsServer == null ? "off" : config.metrics().address(),
          "pid", ProcessHandle.current().pid(), "network_ready", networkReady,
          "serving_after_ms", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()
              - (System.nanoTime() - tServing) / 1_000_000,
          "images_ms", (tImages - tServing) / 1_000_000, "pods_and_containers_ms", (tRestored - tImages) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      try {
        server.shutdown(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    if (metricsServer != null) {
      metricsServer.close();
      metricsServer = null;
    }
    if (containers != null) {
      containers.close();
      containers = null;
    }
    if (sandboxes != null) {
      try {
        sandboxes.close();
      } catch (Exception e) {
        LOG.warn("sandbox engine close failed", e);
      }
      sandboxes = null;
    }
    if (reaper != null) {
      reaper.close();
      reaper = null;
    }
    if (ownership != null) {
      try {
        ownership.close();
      } catch (IOException e) {
        LOG.warn("cannot remove socket", e, "socket", config.socket());
      }
      ownership = null;
    }
  }
}
