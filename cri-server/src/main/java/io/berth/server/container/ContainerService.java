package io.berth.server.container;

import io.berth.bridge.ContainerEngine;
import io.berth.bridge.CreateRequest;
import io.berth.bridge.PodContext;
import io.berth.bridge.monitor.ExecResult;
import io.berth.bridge.state.ContainerRecord;
import io.berth.bridge.state.ContainerState;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerFilter;
import io.berth.cri.v1.ContainerStatsFilter;
import io.berth.cri.v1.ContainerStatsRequest;
import io.berth.cri.v1.ContainerStatsResponse;
import io.berth.cri.v1.ListContainerStatsRequest;
import io.berth.cri.v1.ListContainerStatsResponse;
import io.berth.cri.v1.ContainerStatusRequest;
import io.berth.cri.v1.ContainerStatusResponse;
import io.berth.cri.v1.CreateContainerRequest;
import io.berth.cri.v1.CreateContainerResponse;
import io.berth.cri.v1.ExecSyncRequest;
import io.berth.cri.v1.ExecSyncResponse;
import io.berth.cri.v1.ListContainersRequest;
import io.berth.cri.v1.ListContainersResponse;
import io.berth.cri.v1.RemoveContainerRequest;
import io.berth.cri.v1.RemoveContainerResponse;
import io.berth.cri.v1.ReopenContainerLogRequest;
import io.berth.cri.v1.ReopenContainerLogResponse;
import io.berth.cri.v1.RuntimeServiceGrpc;
import io.berth.cri.v1.StartContainerRequest;
import io.berth.cri.v1.StartContainerResponse;
import io.berth.cri.v1.StopContainerRequest;
import io.berth.cri.v1.StopContainerResponse;
import io.berth.cri.v1.UpdateContainerResourcesRequest;
import io.berth.cri.v1.UpdateContainerResourcesResponse;
import io.berth.sandbox.PodContainers;
import io.berth.sandbox.store.Sandbox;
import io.berth.sandbox.store.SandboxState;
import io.berth.server.grpc.CriServiceBuilder;
import io.berth.server.image.Images;
import io.berth.server.image.ResolvedImage;
import io.berth.server.image.reference.Digest;
import io.berth.server.image.store.SnapshotUsage;
import io.berth.server.log.StructuredLogger;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The container RPCs of RuntimeService: the CRI view (metadata, names, filters, statuses) over the
 * runtime engine (runtime-bridge), the pod sandboxes and the image store. Also tells the sandbox
 * lifecycle how to stop and remove a pod's containers, and the image store which snapshots are in
 * use.
 */
public final class ContainerService implements PodContainers, SnapshotUsage {
  private static final StructuredLogger LOG = StructuredLogger.get(ContainerService.class);
  /** How long RemovePodSandbox waits for its containers' host cleanup. */
  private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);

  private final ContainerEngine engine;
  private final Images images;
  private final Function<String, Optional<Sandbox>> sandboxes;
  private final ContainerMetadataStore metadata;
  /** "sandbox/name/attempt" -> container id: kubelet's names are unique per pod and attempt. */
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final ContainerStatsReader statsReader;
  private final Runnable afterExecTimeout;

  public ContainerService(ContainerEngine engine, Images images, Function<String, Optional<Sandbox>> sandboxes,
      Path metadataDir, Runnable afterExecTimeout) throws IOException {
    this.engine = engine;
    this.afterExecTimeout = afterExecTimeout;
    this.images = images;
    this.sandboxes = sandboxes;
    this.metadata = new ContainerMetadataStore(metadataDir);
    this.statsReader = new ContainerStatsReader(metadataDir.getParent());
    reconcile();
  }

  public void register(CriServiceBuilder runtime) {
    runtime.unary("CreateContainer", RuntimeServiceGrpc::getCreateContainerMethod, this::create)
        .unary("StartContainer", RuntimeServiceGrpc::getStartContainerMethod, this::start)
        .unary("StopContainer", RuntimeServiceGrpc::getStopContainerMethod, this::stop)
        .unary("RemoveContainer", RuntimeServiceGrpc::getRemoveContainerMethod, this::remove)
        .unary("ListContainers", RuntimeServiceGrpc::getListContainersMethod, this::list)
        .unary("ContainerStatus", RuntimeServiceGrpc::getContainerStatusMethod, this::status)
        .unary("UpdateContainerResources", RuntimeServiceGrpc::getUpdateContainerResourcesMethod, this::update)
        .unary("ReopenContainerLog", RuntimeServiceGrpc::getReopenContainerLogMethod, this::reopenLog)
        .unary("ExecSync", RuntimeServiceGrpc::getExecSyncMethod, this::execSync)
        .unary("ContainerStats", RuntimeServiceGrpc::getContainerStatsMethod, this::stats)
        .unary("ListContainerStats", RuntimeServiceGrpc::getListContainerStatsMethod, this::listStats);
  }

  /**
   * After a restart: metadata written for a creation that never reached the engine is dropped, a
   * container the engine has without metadata (impossible unless files were lost) is removed.
   */
  private void reconcile() {
    Set<String> engineIds = engine.list().stream().map(ContainerRecord::id).collect(Collectors.toSet());
    for (ContainerMetadata m : metadata.all()) {
      if (!engineIds.contains(m.id())) {
        try {
          metadata.delete(m.id());
          LOG.info("dropped metadata of a container whose creation did not finish", "container", m.id());
        } catch (IOException e) {
          LOG.warn("cannot drop stale container metadata", e, "container", m.id());
        }
        continue;
      }
      ContainerConfig c = m.config();
      names.put(nameKey(m.sandboxId(), c), m.id());
    }
    for (String id : engineIds) {
      if (metadata.get(id).isEmpty()) {
        LOG.warn("removing a container that has no CRI metadata", "container", id);
        // Its metadata file may be there but unreadable (emptied by a power loss): it goes too.
        engine.remove(id, () -> dropMetadata(id));
      }
    }
  }

  // ------------------------------------------------------------------ Create / Start

  CreateContainerResponse create(CreateContainerRequest req) throws IOException {
    ContainerConfig config = req.getConfig();
    if (req.getPodSandboxId().isEmpty()) {
      throw invalid("pod_sandbox_id must be set");
    }
    if (!req.hasConfig() || config.getMetadata().getName().isEmpty()) {
      throw invalid("config.metadata.name must be set");
    }
    if (config.getImage().getImage().isEmpty()) {
      throw invalid("config.image.image must be set");
    }
    Sandbox sandbox = sandboxes.apply(req.getPodSandboxId()).orElseThrow(() -> Status.NOT_FOUND
        .withDescription("pod sandbox " + req.getPodSandboxId() + " not found").asRuntimeException());
    if (sandbox.status().state() != SandboxState.READY) {
      throw Status.FAILED_PRECONDITION.withDescription("pod sandbox " + sandbox.id() + " is not ready ("
          + sandbox.status().state() + ")").asRuntimeException();
    }
    ResolvedImage image = images.resolve(config.getImage().getImage());
    PodContext pod = PodContexts.of(sandbox, config, this::initPidOf);

    String id = newId();
    String key = nameKey(sandbox.id(), config);
    String existing = names.putIfAbsent(key, id);
    if (existing != null) {
      throw Status.ALREADY_EXISTS.withDescription("container \"" + config.getMetadata().getName() + "\" attempt "
          + config.getMetadata().getAttempt() + " already exists in pod " + sandbox.id() + " as " + existing)
          .asRuntimeException();
    }
    try {
      String logDir = sandbox.metadata().config().getLogDirectory();
      Path logPath = config.getLogPath().isEmpty() || logDir.isEmpty() ? null : Path.of(logDir, config.getLogPath());
      List<String> chains = image.chainIds().stream().map(Digest::toString).toList();
      ContainerMetadata m = ContainerMetadata.of(id, sandbox.id(), config, image.id().toString(), imageRef(image),
          chains, logPath == null ? "" : logPath.toString(), System.currentTimeMillis());
      metadata.put(m);
      try {
        engine.create(new CreateRequest(id, sandbox.id(), sandbox.metadata().runtimeHandler(), config,
            sandbox.metadata().config(), toBridge(image), config.getImage().getImage(), image.layerDirs(),
            logPath, pod));
      } catch (RuntimeException e) {
        metadata.delete(id);
        throw e;
      }
      return CreateContainerResponse.newBuilder().setContainerId(id).build();
    } catch (IOException | RuntimeException e) {
      names.remove(key, id);
      throw e;
    }
  }

  StartContainerResponse start(StartContainerRequest req) {
    engine.start(resolve(req.getContainerId()));
    return StartContainerResponse.getDefaultInstance();
  }

  // ------------------------------------------------------------------ Stop / Remove

  StopContainerResponse stop(StopContainerRequest req) {
    Optional<String> id = find(req.getContainerId());
    id.ifPresent(c -> engine.stop(c, Duration.ofSeconds(Math.max(0, req.getTimeout()))));
    return StopContainerResponse.getDefaultInstance();
  }

  RemoveContainerResponse remove(RemoveContainerRequest req) throws IOException {
    Optional<String> id = find(req.getContainerId());
    if (id.isPresent()) {
      removeById(id.get());
    }
    return RemoveContainerResponse.getDefaultInstance();
  }

  private void removeById(String id) {
    // The metadata goes once the host cleanup has succeeded: until then its image layers are still
    // mounted, and image garbage collection (snapshotsInUse) must keep them.
    engine.remove(id, () -> dropMetadata(id));
    metadata.get(id).ifPresent(m -> names.remove(nameKey(m.sandboxId(), m.config()), id));
  }

  private void dropMetadata(String id) {
    try {
      metadata.delete(id);
    } catch (IOException e) {
      // Only the file is left; the start-up reconcile drops metadata without a container.
      LOG.warn("cannot delete the metadata of a removed container", e, "container", id);
    }
  }

  @Override
  public void stopAll(String sandboxId) {
    for (ContainerRecord r : engine.list()) {
      if (r.sandboxId().equals(sandboxId) && r.state() != ContainerState.EXITED) {
        engine.stop(r.id(), Duration.ZERO);
      }
    }
  }

  @Override
  public void removeAll(String sandboxId) throws IOException {
    for (ContainerRecord r : engine.list()) {
      if (r.sandboxId().equals(sandboxId)) {
        removeById(r.id());
      }
    }
    // The pod's cgroup and namespaces go next: wait until its containers (these, and any removed
    // by RemoveContainer a moment ago) have left the host. A cleanup that failed is tried again
    // now; while one still fails the pod stays, and kubelet's next RemovePodSandbox tries again.
    List<String> unclean = engine.awaitRemovals(sandboxId, REMOVAL_WAIT);
    if (!unclean.isEmpty()) {
      throw new IOException("containers of pod " + sandboxId + " are not cleaned up yet: "
          + String.join("; ", unclean));
    }
  }

  @Override
  public List<io.berth.cri.v1.ContainerStatus> statuses(String sandboxId) {
    List<io.berth.cri.v1.ContainerStatus> out = new ArrayList<>();
    for (ContainerRecord r : engine.list()) {
      if (r.sandboxId().equals(sandboxId)) {
        metadata.get(r.id()).ifPresent(m -> out.add(ContainerViews.status(r, m)));
      }
    }
    return out;
  }

  @Override
  public Set<Digest> snapshotsInUse() {
    Set<Digest> used = new HashSet<>();
    for (ContainerMetadata m : metadata.all()) {
      for (String chain : m.chainIds()) {
        used.add(Digest.parse(chain));
      }
    }
    return used;
  }

  // ------------------------------------------------------------------ Read

  ListContainersResponse list(ListContainersRequest req) {
    ContainerFilter f = req.getFilter();
    ListContainersResponse.Builder out = ListContainersResponse.newBuilder();
    for (ContainerRecord r : engine.list()) {
      Optional<ContainerMetadata> m = metadata.get(r.id());
      if (m.isEmpty()) {
        continue;
      }
      Container c = ContainerViews.container(r, m.get());
      if (ContainerViews.matches(c, f)) {
        out.addContainers(c);
      }
    }
    return out.build();
  }

  ContainerStatusResponse status(ContainerStatusRequest req) {
    String id = resolve(req.getContainerId());
    ContainerRecord r = engine.status(id).orElseThrow(() -> notFound(req.getContainerId()));
    ContainerMetadata m = metadata.get(id).orElseThrow(() -> notFound(req.getContainerId()));
    ContainerStatusResponse.Builder b = ContainerStatusResponse.newBuilder().setStatus(ContainerViews.status(r, m));
    if (req.getVerbose()) {
      b.putInfo("info", ContainerViews.verboseInfo(r, m, engine.spec(id)));
    }
    return b.build();
  }

  ContainerStatsResponse stats(ContainerStatsRequest req) {
    String id = resolve(req.getContainerId());
    ContainerRecord r = engine.status(id).orElseThrow(() -> notFound(req.getContainerId()));
    ContainerMetadata m = metadata.get(id).orElseThrow(() -> notFound(req.getContainerId()));
    return ContainerStatsResponse.newBuilder().setStats(statsReader.read(r, m)).build();
  }

  ListContainerStatsResponse listStats(ListContainerStatsRequest req) {
    ContainerStatsFilter f = req.getFilter();
    ListContainerStatsResponse.Builder out = ListContainerStatsResponse.newBuilder();
    for (ContainerRecord r : engine.list()) {
      Optional<ContainerMetadata> m = metadata.get(r.id());
      if (m.isEmpty()) {
        continue;
      }
      Container c = ContainerViews.container(r, m.get());
      ContainerFilter asFilter = ContainerFilter.newBuilder().setId(f.getId()).setPodSandboxId(f.getPodSandboxId())
          .putAllLabelSelector(f.getLabelSelectorMap()).build();
      if (ContainerViews.matches(c, asFilter)) {
        out.addStats(statsReader.read(r, m.get()));
      }
    }
    return out.build();
  }

  // ------------------------------------------------------------------ Update / logs / exec

  UpdateContainerResourcesResponse update(UpdateContainerResourcesRequest req) {
    engine.updateResources(resolve(req.getContainerId()), req.getLinux());
    return UpdateContainerResourcesResponse.getDefaultInstance();
  }

  ReopenContainerLogResponse reopenLog(ReopenContainerLogRequest req) {
    engine.reopenLog(resolve(req.getContainerId()));
    return ReopenContainerLogResponse.getDefaultInstance();
  }

  ExecSyncResponse execSync(ExecSyncRequest req) {
    if (req.getCmdCount() == 0) {
      throw invalid("cmd must not be empty");
    }
    ExecResult r = engine.execSync(resolve(req.getContainerId()), req.getCmdList(),
        Duration.ofSeconds(Math.max(0, req.getTimeout())));
    if (r.timedOut()) {
      // The killed command was orphaned when its monitor ended; it must be gone (not a zombie
      // inside the pod) before we answer, as kubelet may look for it next.
      for (int i = 0; i < 10; i++) {
        afterExecTimeout.run();
        sleepQuietly(10);
      }
      // kubelet's exec probes tell a timeout from a failure by this code (as with containerd)
      throw Status.DEADLINE_EXCEEDED.withDescription("command " + req.getCmdList() + " timed out after "
          + req.getTimeout() + "s and was killed").asRuntimeException();
    }
    return ExecSyncResponse.newBuilder().setStdout(ByteString.copyFrom(r.stdout()))
        .setStderr(ByteString.copyFrom(r.stderr())).setExitCode(r.exitCode()).build();
  }

  // ------------------------------------------------------------------ helpers

  /** The init pid of a running container, for another container's PID mode TARGET. */
  private LongSupplier initPidOf(String id) {
    return () -> {
      ContainerRecord r = engine.status(resolve(id)).orElseThrow(() -> notFound(id));
      if (r.state() != ContainerState.RUNNING || r.pid() == null) {
        throw Status.FAILED_PRECONDITION.withDescription("namespace target container " + id + " is not running")
            .asRuntimeException();
      }
      return r.pid();
    };
  }

  /** Full id or unique prefix, as crictl users type them; NOT_FOUND otherwise. */
  private String resolve(String idOrPrefix) {
    return find(idOrPrefix).orElseThrow(() -> notFound(idOrPrefix));
  }

  private Optional<String> find(String idOrPrefix) {
    if (idOrPrefix.isEmpty()) {
      throw invalid("container_id must be set");
    }
    if (metadata.get(idOrPrefix).isPresent()) {
      return Optional.of(idOrPrefix);
    }
    List<String> matches = metadata.all().stream().map(ContainerMetadata::id)
        .filter(i -> i.startsWith(idOrPrefix)).toList();
    if (matches.size() > 1) {
      throw invalid("container_id \"" + idOrPrefix + "\" is ambiguous: it matches " + matches.size() + " containers");
    }
    return matches.stream().findFirst();
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String imageRef(ResolvedImage image) {
    List<String> digests = image.record().repoDigests();
    return digests.isEmpty() ? image.id().toString() : digests.get(0);
  }

  private static io.berth.bridge.spec.ImageConfig toBridge(ResolvedImage image) {
    var c = image.config();
    return new io.berth.bridge.spec.ImageConfig(c.entrypoint(), c.cmd(), c.env(), c.workingDir(), c.user(),
        c.stopSignal());
  }

  private static String nameKey(String sandboxId, ContainerConfig c) {
    return sandboxId + "/" + c.getMetadata().getName() + "/" + c.getMetadata().getAttempt();
  }

  private String newId() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static io.grpc.StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  private static io.grpc.StatusRuntimeException notFound(String id) {
    return Status.NOT_FOUND.withDescription("container " + id + " not found").asRuntimeException();
  }

  public void close() {
    engine.close();
  }
}
