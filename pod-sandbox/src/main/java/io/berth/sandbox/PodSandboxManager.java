package io.berth.sandbox;

import io.berth.os.FileTrees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.ListPodSandboxResponse;
import io.berth.cri.v1.LinuxPodSandboxStatus;
import io.berth.cri.v1.Namespace;
import io.berth.cri.v1.PodIP;
import io.berth.cri.v1.PodSandbox;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxNetworkStatus;
import io.berth.cri.v1.PodSandboxStatus;
import io.berth.cri.v1.PodSandboxStatusRequest;
import io.berth.cri.v1.PodSandboxStatusResponse;
import io.berth.cri.v1.RemovePodSandboxRequest;
import io.berth.cri.v1.RemovePodSandboxResponse;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.cri.v1.RunPodSandboxResponse;
import io.berth.cri.v1.RuntimeCondition;
import io.berth.cri.v1.StopPodSandboxRequest;
import io.berth.cri.v1.StopPodSandboxResponse;
import io.berth.sandbox.cni.NetworkStatus;
import io.berth.sandbox.cni.PodNetwork;
import io.berth.sandbox.cni.PodNetworkRequest;
import io.berth.sandbox.files.PodFiles;
import io.berth.sandbox.ns.NamespaceKind;
import io.berth.sandbox.ns.PodNamespaces;
import io.berth.sandbox.ns.SysctlPolicy;
import io.berth.sandbox.store.NameRegistrar;
import io.berth.sandbox.store.Sandbox;
import io.berth.sandbox.store.SandboxJson;
import io.berth.sandbox.store.SandboxMetadata;
import io.berth.sandbox.store.SandboxState;
import io.berth.sandbox.store.SandboxStatus;
import io.berth.sandbox.store.SandboxStore;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pod sandbox engine behind the CRI RuntimeService's sandbox RPCs. Takes and returns the CRI
 * proto types; every refusal or failure is an {@link io.grpc.StatusRuntimeException}.
 *
 * <p>A pod runs no process of its own (unless its containers share a PID namespace): its network,
 * IPC and UTS namespaces are pinned as files, its network is attached through CNI, its
 * resolv.conf/hosts/hostname and /dev/shm are prepared for containers to mount.
 *
 * <p>Concurrency: calls for different sandboxes run in parallel; calls for one sandbox run one at
 * a time. State is persisted before it is visible; a manager constructed over the same
 * directories (a restarted berthd) sees the same sandboxes.
 */
public final class PodSandboxManager implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PodSandboxManager.class.getName());
  private static final int ID_BYTES = 32;
  private static final int DEFAULT_HOSTNAME_LENGTH = 12;

  private final SandboxManagerConfig config;
  private final SandboxHost host;
  private final PodContainers containers;
  private final PodInfraProcess infra;
  private final SandboxRequestValidator validator;
  private final SandboxStore store;
  private final NameRegistrar names = new NameRegistrar();
  private final KeyedLocks locks = new KeyedLocks();
  private final SecureRandom random = new SecureRandom();

  /**
   * The real engine on this host (needs root).
   *
   * @param runtimeHandlers names RunPodSandbox's runtime_handler may use; empty selects the default
   */
  public PodSandboxManager(SandboxManagerConfig config, Set<String> runtimeHandlers,
      PodContainers containers, PodInfraProcess infra) throws IOException {
    this(config, runtimeHandlers, containers, infra, SandboxHost.linux(withRealDirs(config)));
  }

  /** An engine over the given host operations (fakes in unit tests). */
  public PodSandboxManager(SandboxManagerConfig config, Set<String> runtimeHandlers,
      PodContainers containers, PodInfraProcess infra, SandboxHost host) throws IOException {
    this.config = withRealDirs(config);
    this.host = host;
    this.containers = containers;
    this.infra = infra;
    this.validator = new SandboxRequestValidator(runtimeHandlers, new SysctlPolicy(), infra.available());
    this.store = new SandboxStore(this.config.recordsDir());
    recover();
  }

  // ---------------------------------------------------------------- RunPodSandbox

  public RunPodSandboxResponse runPodSandbox(RunPodSandboxRequest request) {
    SandboxRequestValidator.Plan plan = validator.validate(request);
    if (!plan.hostNetwork()) {
      NetworkStatus network = host.network().status();
      if (!network.ready()) {
        throw Errors.failedPrecondition("pod network is not ready (" + network.reason() + "): "
            + network.message() + "; only pods with namespace_options.network=NODE can run");
      }
    }
    String id = newId();
    names.reserve(plan.name(), id);
    ReentrantLock lock = locks.lock(id);
    try {
      Sandbox sandbox = new Sandbox(metadata(id, plan), SandboxStatus.creating());
      try {
        // Recorded before anything exists on the host: a crash from here on leaves a NOTREADY
        // sandbox whose stop/remove frees whatever was made.
        store.create(sandbox);
      } catch (IOException | RuntimeException e) {
        names.release(plan.name(), id);
        locks.forget(id);
        throw toStatus(e, "RunPodSandbox: cannot record sandbox " + id);
      }
      try {
        setUp(sandbox, plan);
      } catch (IOException | RuntimeException e) {
        rollBack(sandbox, e);
        throw toStatus(e, "RunPodSandbox " + id);
      }
      return RunPodSandboxResponse.newBuilder().setPodSandboxId(id).build();
    } finally {
      lock.unlock();
    }
  }

  private SandboxMetadata metadata(String id, SandboxRequestValidator.Plan plan) {
    String hostname = plan.config().getHostname();
    if (hostname.isEmpty()) {
      // As CRI-O: a host-network pod shows the node's name, any other a short form of its id.
      hostname = plan.hostNetwork() ? hostHostname() : id.substring(0, DEFAULT_HOSTNAME_LENGTH);
    }
    Instant now = Instant.now();
    long createdAt = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return new SandboxMetadata(id, plan.name(), createdAt, plan.runtimeHandler(), hostname,
        config.filesDir(id).toString(), plan.hostIpc() ? "" : config.shmDir(id).toString(), plan.config());
  }

  private void setUp(Sandbox sandbox, SandboxRequestValidator.Plan plan) throws IOException {
    String id = sandbox.id();
    SandboxMetadata md = sandbox.metadata();
    PodNamespaces ns = host.pinner().pin(id, plan.namespaces(), md.hostname(), plan.sysctlsAtPin());
    List<String> ips = List.of();
    if (!plan.hostNetwork()) {
      PodSandboxConfig c = plan.config();
      PodNetwork.Attachment attachment = host.network().setUp(new PodNetworkRequest(id,
          ns.path(NamespaceKind.NET).toString(), c.getMetadata().getNamespace(), c.getMetadata().getName(),
          c.getMetadata().getUid(), plan.portMappings()));
      ips = attachment.ips();
      host.pinner().applySysctls(ns, plan.sysctlsAfterNetwork());
    }
    host.files().write(Path.of(md.filesDir()), plan.config().hasDnsConfig() ? plan.config().getDnsConfig() : null,
        ips.isEmpty() ? "" : ips.get(0), md.hostname(), plan.hostNetwork());
    if (!md.shmDir().isEmpty()) {
      host.shm().mount(Path.of(md.shmDir()), config.shmSizeBytes());
    }
    long infraPid = plan.sharedPid() ? infra.start(id, ns, plan.config()) : 0;
    Map<NamespaceKind, String> pins = new EnumMap<>(NamespaceKind.class);
    ns.pins().forEach((k, v) -> pins.put(k, v.toString()));
    List<String> podIps = ips;
    try {
      store.update(id, s -> s.withState(SandboxState.READY).withPins(pins).withIps(podIps).withInfraPid(infraPid));
    } catch (IOException | RuntimeException e) {
      if (infraPid > 0) {
        try {
          infra.stop(id, infraPid);
        } catch (IOException | RuntimeException stop) {
          e.addSuppressed(stop);
        }
      }
      throw e;
    }
  }

  /** Undoes a failed RunPodSandbox; if even that fails, keeps a NOTREADY record for kubelet to remove. */
  private void rollBack(Sandbox sandbox, Exception failure) {
    try {
      releaseNetwork(sandbox);
      releaseHostResources(sandbox);
      store.delete(sandbox.id());
      names.release(sandbox.metadata().name(), sandbox.id());
      locks.forget(sandbox.id());
    } catch (IOException | RuntimeException cleanup) {
      failure.addSuppressed(cleanup);
      LOG.log(System.Logger.Level.WARNING, "cleanup of failed sandbox " + sandbox.id()
          + " is incomplete; it stays NOTREADY until removed: " + cleanup.getMessage());
      try {
        store.update(sandbox.id(), s -> s.withState(SandboxState.NOTREADY));
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }

  // ---------------------------------------------------------------- StopPodSandbox

  /** Stops the pod's containers, releases its network; keeps the record. Missing is not an error. */
  public StopPodSandboxResponse stopPodSandbox(StopPodSandboxRequest request) {
    Optional<String> resolved = resolveForCleanup(request.getPodSandboxId());
    if (resolved.isEmpty()) {
      return StopPodSandboxResponse.getDefaultInstance();
    }
    String id = resolved.get();
    ReentrantLock lock = locks.lock(id);
    try {
      Optional<Sandbox> found = store.get(id);
      if (found.isPresent()) {
        stop(found.get());
      }
      return StopPodSandboxResponse.getDefaultInstance();
    } catch (IOException | RuntimeException e) {
      throw toStatus(e, "StopPodSandbox " + id);
    } finally {
      lock.unlock();
    }
  }

  private void stop(Sandbox s) throws IOException {
    String id = s.id();
    containers.stopAll(id);
    if (s.status().infraPid() > 0) {
      infra.stop(id, s.status().infraPid());
    }
    IOException networkFailure = null;
    if (!s.status().networkReleased()) {
      try {
        releaseNetwork(s);
      } catch (IOException e) {
        networkFailure = e;
      }
    }
    boolean released = networkFailure == null;
    SandboxStatus st = s.status();
    if (st.state() != SandboxState.NOTREADY || st.infraPid() != 0 || st.networkReleased() != released) {
      store.update(id, x -> x.withState(SandboxState.NOTREADY).withInfraPid(0).withNetworkReleased(released));
    }
    if (networkFailure != null) {
      throw new IOException("tearing down the pod network failed (retried by the next stop or remove): "
          + networkFailure.getMessage(), networkFailure);
    }
  }

  // ---------------------------------------------------------------- RemovePodSandbox

  /** Removes the pod's containers and everything the sandbox made. Missing is not an error. */
  public RemovePodSandboxResponse removePodSandbox(RemovePodSandboxRequest request) {
    Optional<String> resolved = resolveForCleanup(request.getPodSandboxId());
    if (resolved.isEmpty()) {
      return RemovePodSandboxResponse.getDefaultInstance();
    }
    String id = resolved.get();
    ReentrantLock lock = locks.lock(id);
    try {
      Optional<Sandbox> found = store.get(id);
      if (found.isEmpty()) {
        return RemovePodSandboxResponse.getDefaultInstance();
      }
      Sandbox s = found.get();
      // kubelet stops before it removes; a remove of a running pod stops it first.
      if (s.status().state() != SandboxState.NOTREADY || s.status().infraPid() != 0
          || !s.status().networkReleased()) {
        stop(s);
      }
      containers.removeAll(id);
      releaseHostResources(s);
      store.delete(id);
      names.release(s.metadata().name(), id);
      locks.forget(id);
      return RemovePodSandboxResponse.getDefaultInstance();
    } catch (IOException | RuntimeException e) {
      throw toStatus(e, "RemovePodSandbox " + id);
    } finally {
      lock.unlock();
    }
  }

  /** CNI DEL, with the netns only while it still exists (after a reboot it does not). */
  private void releaseNetwork(Sandbox s) throws IOException {
    if (s.metadata().hostNetwork()) {
      return;
    }
    Path netns = host.pinner().pinPath(s.id(), NamespaceKind.NET);
    host.network().tearDown(s.id(), host.pinner().isPinned(netns) ? netns.toString() : "");
  }

  /** Unpins namespaces, unmounts /dev/shm, deletes the pod's files. Idempotent. */
  private void releaseHostResources(Sandbox s) throws IOException {
    host.pinner().unpin(s.id());
    if (!s.metadata().shmDir().isEmpty()) {
      host.shm().unmount(Path.of(s.metadata().shmDir()));
    }
    FileTrees.delete(config.volatileDir(s.id()));
    FileTrees.delete(Path.of(s.metadata().filesDir()));
  }

  // ---------------------------------------------------------------- PodSandboxStatus / List

  public PodSandboxStatusResponse podSandboxStatus(PodSandboxStatusRequest request) {
    String id = resolveExisting(request.getPodSandboxId());
    Sandbox s = store.get(id).orElseThrow(() -> Errors.notFound("pod sandbox " + id + " not found"));
    SandboxMetadata md = s.metadata();
    PodSandboxConfig c = md.config();
    PodSandboxStatus.Builder status = PodSandboxStatus.newBuilder()
        .setId(id)
        .setMetadata(c.getMetadata())
        .setState(s.status().state().toCri())
        .setCreatedAt(md.createdAtNanos())
        .setLinux(LinuxPodSandboxStatus.newBuilder()
            .setNamespaces(Namespace.newBuilder().setOptions(md.namespaceOptions())))
        .putAllLabels(c.getLabelsMap())
        .putAllAnnotations(c.getAnnotationsMap())
        .setRuntimeHandler(md.runtimeHandler());
    if (!md.hostNetwork() && !s.status().ips().isEmpty()) {
      List<String> ips = s.status().ips();
      PodSandboxNetworkStatus.Builder net = PodSandboxNetworkStatus.newBuilder().setIp(ips.get(0));
      for (String extra : ips.subList(1, ips.size())) {
        net.addAdditionalIps(PodIP.newBuilder().setIp(extra));
      }
      status.setNetwork(net);
    }
    PodSandboxStatusResponse.Builder response = PodSandboxStatusResponse.newBuilder()
        .setStatus(status)
        .addAllContainersStatuses(containers.statuses(id))
        .setTimestamp(nowNanos());
    if (request.getVerbose()) {
      response.putInfo("info", verboseInfo(s));
    }
    return response.build();
  }

  public ListPodSandboxResponse listPodSandbox(ListPodSandboxRequest request) {
    ListPodSandboxResponse.Builder out = ListPodSandboxResponse.newBuilder();
    for (Sandbox s : store.list()) {
      if (!SandboxFilter.matches(request.hasFilter() ? request.getFilter() : null, s)) {
        continue;
      }
      PodSandboxConfig c = s.metadata().config();
      out.addItems(PodSandbox.newBuilder()
          .setId(s.id())
          .setMetadata(c.getMetadata())
          .setState(s.status().state().toCri())
          .setCreatedAt(s.metadata().createdAtNanos())
          .putAllLabels(c.getLabelsMap())
          .putAllAnnotations(c.getAnnotationsMap())
          .setRuntimeHandler(s.metadata().runtimeHandler()));
    }
    return out.build();
  }

  private String verboseInfo(Sandbox s) {
    ObjectMapper json = SandboxJson.mapper();
    ObjectNode info = json.createObjectNode();
    SandboxMetadata md = s.metadata();
    info.put("id", s.id());
    info.put("name", md.name());
    info.put("state", s.status().state().name());
    info.put("createdAt", md.createdAtNanos());
    info.put("runtimeHandler", md.runtimeHandler());
    info.put("hostname", md.hostname());
    ObjectNode ns = info.putObject("namespaces");
    s.status().pins().forEach((k, v) -> ns.put(k.fileName(), v));
    if (s.status().infraPid() > 0) {
      ns.put("pid", "/proc/" + s.status().infraPid() + "/ns/pid");
      info.put("infraPid", s.status().infraPid());
    }
    PodFiles.Paths files = PodFiles.Paths.in(Path.of(md.filesDir()));
    ObjectNode f = info.putObject("files");
    f.put("resolvConf", files.resolvConf().toString());
    f.put("hosts", files.hosts().toString());
    f.put("hostname", files.hostname().toString());
    info.put("shm", md.shmDir());
    info.set("ips", json.valueToTree(s.status().ips()));
    info.put("networkReleased", s.status().networkReleased());
    try {
      Optional<JsonNode> cni = md.hostNetwork() ? Optional.empty() : host.network().cachedResult(s.id());
      info.set("cniResult", cni.orElse(null));
      info.set("config", json.readTree(json.writeValueAsString(md.config())));
      return json.writeValueAsString(info);
    } catch (IOException e) {
      throw toStatus(e, "PodSandboxStatus " + s.id() + ": verbose info");
    }
  }

  // ---------------------------------------------------------------- for the rest of berthd

  /** Pod networking readiness, for the Status RPC. */
  public NetworkStatus networkStatus() {
    return host.network().status();
  }

  /** The CRI {@code NetworkReady} runtime condition. */
  public RuntimeCondition networkReadyCondition() {
    NetworkStatus s = networkStatus();
    return RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(s.ready())
        .setReason(s.reason()).setMessage(s.message()).build();
  }

  /** A sandbox by exact id, for the container service (namespace pins, files, shm, config). */
  public Optional<Sandbox> find(String id) {
    return store.get(id);
  }

  /** The pin of a namespace the pod owns, or empty when it shares the host's. */
  public Optional<Path> namespacePath(String id, NamespaceKind kind) {
    return store.get(id).map(s -> s.status().pins().get(kind)).map(Path::of);
  }

  /** Runs CNI CHECK for a READY pod's network (the attachment is still as ADD left it). */
  public void checkNetwork(String id) {
    Sandbox s = store.get(resolveExisting(id)).orElseThrow(() -> Errors.notFound("pod sandbox " + id + " not found"));
    if (s.metadata().hostNetwork()) {
      return;
    }
    try {
      host.network().check(s.id(), host.pinner().pinPath(s.id(), NamespaceKind.NET).toString());
    } catch (IOException e) {
      throw toStatus(e, "network check of sandbox " + s.id());
    }
  }

  /** Releases the engine's threads. Pods, pins and mounts stay: they outlive berthd. */
  @Override
  public void close() {
    host.onClose().run();
  }

  // ---------------------------------------------------------------- recovery

  /**
   * After a restart: reserve the names of every recorded sandbox; a sandbox caught mid-creation,
   * or whose namespaces or infra process are gone (the node rebooted), is NOTREADY.
   */
  private void recover() throws IOException {
    for (Sandbox s : store.list()) {
      try {
        names.reserve(s.metadata().name(), s.id());
      } catch (StatusRuntimeException duplicate) {
        LOG.log(System.Logger.Level.WARNING, "two sandbox records share the name " + s.metadata().name()
            + "; " + s.id() + " is listed but its name is not reserved");
      }
      if (s.status().state() == SandboxState.NOTREADY) {
        continue;
      }
      boolean alive = s.status().state() == SandboxState.READY;
      for (String pin : s.status().pins().values()) {
        alive &= host.pinner().isPinned(Path.of(pin));
      }
      if (s.status().infraPid() > 0) {
        alive &= infra.isAlive(s.id(), s.status().infraPid());
      }
      if (!alive) {
        store.update(s.id(), x -> x.withState(SandboxState.NOTREADY));
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** An exact id or a unique prefix; empty when none matches. */
  private Optional<String> resolveForCleanup(String idOrPrefix) {
    if (idOrPrefix.isEmpty()) {
      throw Errors.invalidArgument("pod_sandbox_id is required");
    }
    if (store.get(idOrPrefix).isPresent()) {
      return Optional.of(idOrPrefix);
    }
    List<String> matches = new ArrayList<>();
    for (Sandbox s : store.list()) {
      if (s.id().startsWith(idOrPrefix)) {
        matches.add(s.id());
      }
    }
    if (matches.size() > 1) {
      throw Errors.invalidArgument("pod_sandbox_id \"" + idOrPrefix + "\" matches " + matches.size()
          + " sandboxes; give more of the id");
    }
    return matches.stream().findFirst();
  }

  private String resolveExisting(String idOrPrefix) {
    return resolveForCleanup(idOrPrefix)
        .orElseThrow(() -> Errors.notFound("pod sandbox " + idOrPrefix + " not found"));
  }

  private String newId() {
    byte[] b = new byte[ID_BYTES];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static String hostHostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static StatusRuntimeException toStatus(Exception e, String context) {
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    return Errors.internal(context + ": " + e.getMessage(), e);
  }


  /** Creates the root and state dirs and resolves symlinks, so paths match the mount table. */
  private static SandboxManagerConfig withRealDirs(SandboxManagerConfig c) throws IOException {
    Files.createDirectories(c.rootDir());
    Files.createDirectories(c.stateDir());
    return new SandboxManagerConfig(c.rootDir().toRealPath(), c.stateDir().toRealPath(), c.cniConfDir(),
        c.cniBinDirs(), c.shmSizeBytes(), c.cniPluginTimeout(), c.hostResolvConf(), c.hostHosts(),
        c.unsharePath(), c.nsenterPath());
  }
}
