package io.berth.bridge;

import io.berth.os.CommandRunner;
import io.berth.os.FileTrees;
import io.berth.bridge.monitor.ContainerMonitor;
import io.berth.bridge.monitor.ContainerLaunch;
import io.berth.bridge.monitor.CreatedContainer;
import io.berth.bridge.monitor.ExecResult;
import io.berth.bridge.monitor.ExitStatus;
import io.berth.bridge.oci.OciRuntime;
import io.berth.bridge.oci.OciRuntimes;
import io.berth.bridge.oci.RuntimeCommandException;
import io.berth.bridge.oci.RuntimeHandler;
import io.berth.bridge.oci.RuntimeState;
import io.berth.bridge.proc.ProcessIdentity;
import io.berth.bridge.rootfs.OverlayRootfs;
import io.berth.bridge.rootfs.RootfsLayout;
import io.berth.bridge.spec.HostFacts;
import io.berth.bridge.spec.HostView;
import io.berth.bridge.spec.OciSpecBuilder;
import io.berth.bridge.spec.ResolvedUser;
import io.berth.bridge.spec.ResourcesMapper;
import io.berth.bridge.spec.SpecContext;
import io.berth.bridge.spec.StopSignal;
import io.berth.bridge.spec.UserResolver;
import io.berth.bridge.spec.oci.Oci;
import io.berth.bridge.spec.oci.OciJson;
import io.berth.bridge.state.ContainerRecord;
import io.berth.bridge.state.ContainerState;
import io.berth.bridge.state.ContainerStore;
import io.berth.os.ReplacedFile;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.LinuxContainerResources;
import io.berth.os.AtomicFile;
import io.berth.os.Linux;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container engine behind the CRI RuntimeService's container RPCs: overlay rootfs, OCI spec,
 * one monitor (berth-monitor or conmon) per container, crun or runc by runtime handler, and a persisted record per container.
 *
 * <p>Containers outlive this object and the JVM: a new engine over the same directories (after a
 * daemon restart or crash) finds every container again and reports running ones as running and
 * ones that exited meanwhile with their real exit code and time (from the monitor's exit file).
 *
 * <p>Operations on one container are serialised; different containers proceed in parallel. Errors
 * are {@link StatusRuntimeException}s: NOT_FOUND (unknown id), ALREADY_EXISTS, INVALID_ARGUMENT /
 * FAILED_PRECONDITION (from the config or the container's state), INTERNAL (host or runtime failure).
 * StopContainer and RemoveContainer of an unknown id succeed, as kubelet retries them.
 */
public final class ContainerEngine implements AutoCloseable {
  /**
   * Longest pause between two looks at a process or exit file we wait for. Exits usually come within
   * tens of milliseconds; a doubling back-off capped higher overslept them by as much (measured:
   * RemoveContainer waits for its monitor after every stop).
   */
  private static final long POLL_MAX_MS = 10;
  /** How long the monitor gets to write the exit file after the container's init died. */
  private static final Duration EXIT_FILE_WAIT = Duration.ofSeconds(10);
  private static final Duration KILL_WAIT = Duration.ofSeconds(30);
  private static final Duration REOPEN_WAIT = Duration.ofSeconds(5);
  /** Bound on waiting for a removed container's host cleanup (runtime delete, unmount, rm -r). */
  private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);
  /**
   * Nice value of the runtime processes a cleanup runs: kubelet's next CreateContainer usually
   * arrives while the previous container is being cleaned up, and should get the CPU first.
   */
  static final int CLEANUP_NICE = 10;
  /** The CreateContainer config as given, kept for the server's status and list after restarts. */
  private static final String CRI_CONFIG = "cri-config.pb";

  private final EngineConfig config;
  private final HostFacts host;
  private final OciSpecBuilder specBuilder;
  private final OverlayRootfs overlay;
  private final ContainerMonitor monitor;
  private final ContainerStore store;
  private final Linux linux;
  /** Runs crun/runc verbs (state, start, kill, delete, update). */
  private final CommandRunner commands;
  /** Runs the runtime's delete after RemoveContainer replied, at a lower priority than the RPCs. */
  private final CommandRunner backgroundCommands = CommandRunner.niced(CLEANUP_NICE);
  private final Map<String, OciRuntime> runtimes = new LinkedHashMap<>();
  private final Map<String, OciRuntime> backgroundRuntimes = new LinkedHashMap<>();
  private final ConcurrentHashMap<String, ContainerRecord> records = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
  private final RemovalQueue removals;

  public ContainerEngine(EngineConfig config, HostFacts host, HostView hostView, Linux linux) throws IOException {
    this.config = config;
    this.host = host;
    this.linux = linux;
    this.specBuilder = new OciSpecBuilder(hostView);
    this.overlay = new OverlayRootfs(linux);
    this.monitor = new ContainerMonitor(config.monitor());
    this.commands = new CommandRunner();
    this.store = new ContainerStore(config.containersDir());
    this.removals = new RemovalQueue();
    for (RuntimeHandler h : config.handlers().values()) {
      Files.createDirectories(h.root());
      runtimes.put(h.name(), OciRuntimes.of(h, commands));
      backgroundRuntimes.put(h.name(), OciRuntimes.of(h, backgroundCommands));
    }
    recover();
  }

  /**
   * Loads every persisted container. One whose creation was cut short is UNKNOWN until removed.
   * One recorded as CREATED whose runtime says it runs was started just before the daemon died
   * (between {@code <runtime> start} and saving): it is RUNNING, started "now" as far as we know.
   */
  private void recover() throws IOException {
    for (Path orphan : store.orphanDirs()) {
      // Creation was cut short before its record was written: undo whatever got done.
      String id = orphan.getFileName().toString();
      for (OciRuntime runtime : runtimes.values()) {
        discard(id, runtime, orphan);
      }
    }
    for (ContainerRecord r : store.loadAll()) {
      ContainerRecord rec = r;
      if (rec.state() == ContainerState.CREATING) {
        rec = rec.withState(ContainerState.UNKNOWN);
        store.save(rec);
      } else if (rec.state() == ContainerState.CREATED && !rec.launched() && runtimes.containsKey(rec.handler())) {
        // The daemon died while StartContainer launched it: the record does not know that launch's
        // monitor, so undo it; the next StartContainer launches again.
        discardUnrecordedLaunch(rec.id(), runtimes.get(rec.handler()));
      } else if (rec.state() == ContainerState.CREATED && rec.init() != null && rec.init().isAlive()
          && runtimes.containsKey(rec.handler())) {
        Optional<RuntimeState> st = runtimes.get(rec.handler()).state(rec.id());
        if (st.isPresent() && "running".equals(st.get().status())) {
          rec = rec.started(nowNanos());
          store.save(rec);
        }
      }
      records.put(rec.id(), rec);
    }
  }

  private void discardUnrecordedLaunch(String id, OciRuntime runtime) throws IOException {
    if (runtime.state(id).isEmpty()) {
      return;
    }
    runtime.delete(id);
    // Its monitor writes an exit file once the init is gone; wait for it so that it cannot land
    // after the next launch of this id.
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (!Files.exists(monitor.exitFile(id)) && System.nanoTime() < deadline) {
      pause(POLL_MAX_MS);
    }
    Files.deleteIfExists(monitor.exitFile(id));
  }

  /** The configured runtime handler names (for the CRI Status' runtime_handlers). */
  public List<String> handlerNames() {
    return List.copyOf(runtimes.keySet());
  }

  // ---- CreateContainer ----------------------------------------------------------------------

  public ContainerRecord create(CreateRequest req) {
    OciRuntime runtime = runtime(req.handler());
    Path dir;
    try {
      dir = store.dir(req.id());
    } catch (IllegalArgumentException e) {
      throw Errors.invalidArgument(e.getMessage());
    }
    // A removed container of the same id may still be leaving the host.
    if (!removals.await(req.id(), REMOVAL_WAIT)) {
      throw Errors.failedPrecondition("container " + req.id() + " was removed and is still being cleaned up");
    }
    Object lock = lockFor(req.id());
    synchronized (lock) {
      if (records.containsKey(req.id()) || Files.exists(dir)) {
        throw Errors.alreadyExists("container " + req.id() + " already exists");
      }
      int stopSignal = StopSignal.resolve(req.config(), req.image());
      Path logPath = req.logPath() != null ? req.logPath() : dir.resolve("container.log");
      ContainerRecord rec = ContainerRecord.creating(req.id(), req.config().getMetadata().getName(), req.sandboxId(),
          req.imageName(), runtime.name(), dir, logPath, stopSignal, nowNanos());
      records.put(req.id(), rec);
      boolean ok = false;
      try {
        // No record on disk until the container exists: a directory without one is an
        // interrupted creation, cleaned up by recover().
        Files.createDirectories(dir);
        ReplacedFile.write(dir.resolve(CRI_CONFIG), req.config().toByteArray());
        RootfsLayout layout = overlay.mount(dir, req.lowerDirs());
        ResolvedUser user = UserResolver.resolve(req.config().getLinux().getSecurityContext(), req.image(),
            layout.rootfs());
        PodContext pod = req.pod();
        SpecContext ctx = new SpecContext(req.id(), req.sandboxId(), req.imageName(), layout.rootfs(),
            pod.namespaces(), pod.hostname(), pod.etcHostname(), pod.etcHosts(), pod.resolvConf(), pod.devShm(),
            pod.cgroupParent(), config.cgroupDriver(), user, pod.pidsLimit(), host);
        Oci.Spec spec = specBuilder.build(req.config(), req.sandboxConfig(), req.image(), ctx);
        ReplacedFile.write(dir.resolve("config.json"), OciJson.toBytes(spec));
        // The monitor and the runtime's create run in StartContainer, as containerd creates its
        // task there: kubelet always calls the two back to back, and CreateContainer stays cheap.
        rec = rec.withState(ContainerState.CREATED);
        store.save(rec);
        records.put(rec.id(), rec);
        ok = true;
        return rec;
      } catch (StatusRuntimeException e) {
        throw e;
      } catch (IOException | UncheckedIOException e) {
        throw Errors.internal("creating container " + req.id() + ": " + e.getMessage(), e);
      } finally {
        if (!ok) {
          records.remove(req.id());
          discard(req.id(), runtime, dir);
        }
      }
    }
  }

  /** Undoes a failed creation; failures here are secondary to the one being reported. */
  private void discard(String id, OciRuntime runtime, Path dir) {
    try {
      runtime.delete(id);
    } catch (IOException ignored) {
      // Nothing was created, or it is reported by the original failure.
    }
    try {
      Files.deleteIfExists(dir.resolve("state.json"));
      deleteHostFiles(id, dir);
    } catch (IOException ignored) {
      // Left for RemoveContainer of the same id or an operator; the create error is what matters.
    }
  }

  // ---- StartContainer -----------------------------------------------------------------------

  public ContainerRecord start(String id) {
    synchronized (lockFor(id)) {
      ContainerRecord rec = refresh(require(id));
      if (rec.state() != ContainerState.CREATED) {
        throw Errors.failedPrecondition("container " + id + " is " + rec.state() + ", not CREATED");
      }
      OciRuntime runtime = runtime(rec.handler());
      if (rec.init() == null) {
        rec = save(launch(rec, runtime));
      }
      // Taken before the start: a quick container may have exited by the time start returns.
      long startedAt = nowNanos();
      try {
        runtime.start(id);
      } catch (IOException e) {
        throw Errors.internal("starting container " + id + ": " + e.getMessage(), e);
      }
      return save(rec.started(startedAt));
    }
  }

  /**
   * Starts the container's monitor, which has the runtime create it (its init then waits for
   * {@code <runtime> start}). On failure nothing of the launch is left and the container stays
   * CREATED, as containerd leaves a container whose task could not be created.
   */
  private ContainerRecord launch(ContainerRecord rec, OciRuntime runtime) {
    ContainerConfig cri = criConfig(rec.id());
    try {
      CreatedContainer created = monitor.create(new ContainerLaunch(rec.id(), rec.name(), rec.bundlePath(),
          Path.of(rec.logPath()), runtime, cri.getTty(), cri.getStdin(), cri.getStdinOnce()));
      return rec.launched(created.monitor(), created.init());
    } catch (IOException | UncheckedIOException e) {
      undoLaunch(rec.id(), runtime);
      throw Errors.internal("starting container " + rec.id() + ": " + e.getMessage(), e);
    }
  }

  /** Removes what a launch left in the runtime; failures here are secondary to the one reported. */
  private void undoLaunch(String id, OciRuntime runtime) {
    try {
      runtime.delete(id);
      Files.deleteIfExists(monitor.exitFile(id));
    } catch (IOException ignored) {
      // Nothing was created, or RemoveContainer cleans it up.
    }
  }

  // ---- StopContainer ------------------------------------------------------------------------

  /**
   * Sends the stop signal, then SIGKILL once {@code timeout} has passed (at once if it is zero),
   * and returns after the container has exited and its exit code is known. Unknown ids and
   * exited containers are fine (returns empty / the exited record).
   */
  public Optional<ContainerRecord> stop(String id, Duration timeout) {
    ContainerRecord rec = records.get(id);
    if (rec == null) {
      return Optional.empty();
    }
    synchronized (lockFor(id)) {
      rec = refresh(rec);
    }
    if (rec.state() == ContainerState.EXITED || !rec.launched()) {
      // Exited, or created and never started: nothing runs (containerd leaves a created one as is).
      return Optional.of(rec);
    }
    OciRuntime runtime = runtime(rec.handler());
    ProcessIdentity init = rec.init();
    try {
      // A created init blocks on its start fifo and, as PID 1 of its namespace, ignores signals
      // it has no handler for: only SIGKILL stops it.
      boolean graceful = rec.state() == ContainerState.RUNNING && !timeout.isZero() && !timeout.isNegative()
          && rec.stopSignal() != StopSignal.SIGKILL;
      if (graceful) {
        signal(runtime, id, init, rec.stopSignal());
        if (init != null && awaitDeath(init, timeout)) {
          return Optional.of(afterExit(id));
        }
      }
      if (init == null || init.isAlive()) {
        signal(runtime, id, init, StopSignal.SIGKILL);
      }
      if (init != null && !awaitDeath(init, KILL_WAIT)) {
        throw Errors.internal("container " + id + " (pid " + init.pid() + ") did not die after SIGKILL");
      }
      return Optional.of(afterExit(id));
    } catch (InterruptedIOException e) {
      throw Errors.internal("interrupted while stopping container " + id, e);
    } catch (IOException e) {
      throw Errors.internal("stopping container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Signals the container's init: directly when its identity (pid and start time) checks out, which
   * saves forking the runtime and is what {@code <runtime> kill} does; through the runtime otherwise.
   */
  private void signal(OciRuntime runtime, String id, ProcessIdentity init, int signal) throws IOException {
    if (init != null && init.isAlive() && linux.kill(init.pid(), signal)) {
      return;
    }
    try {
      runtime.kill(id, signal, false);
    } catch (RuntimeCommandException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  /** After the init died: wait for the monitor's exit file so the real exit code is reported. */
  private ContainerRecord afterExit(String id) throws IOException {
    long deadline = System.nanoTime() + EXIT_FILE_WAIT.toNanos();
    long sleep = 2;
    while (System.nanoTime() < deadline) {
      synchronized (lockFor(id)) {
        ContainerRecord rec = refresh(require(id));
        if (rec.state() == ContainerState.EXITED) {
          return rec;
        }
        ProcessIdentity mon = rec.monitor();
        if (mon == null || !mon.isAlive()) {
          // refresh() already waited for the exit file of a dead monitor.
          return rec;
        }
      }
      pause(sleep);
      sleep = Math.min(POLL_MAX_MS, sleep * 2);
    }
    synchronized (lockFor(id)) {
      return refresh(require(id));
    }
  }

  // ---- RemoveContainer ----------------------------------------------------------------------

  /**
   * Removes the container: kills it if it still runs and deletes its record (durably), which is
   * when it is gone for every RPC. Deleting it from the runtime, ending its monitor, unmounting
   * and deleting its rootfs and directory follow in the background ({@link RemovalQueue});
   * {@link #awaitRemovals} waits for them. The CRI log file is kept (kubelet owns it). Unknown ids
   * are fine.
   */
  public void remove(String id) {
    remove(id, () -> {});
  }

  /** As {@link #remove(String)}; {@code onHostClean} runs once the background cleanup has succeeded. */
  public void remove(String id, Runnable onHostClean) {
    for (int stops = 0; ; stops++) {
      ContainerRecord rec = records.get(id);
      if (rec == null) {
        return;
      }
      synchronized (lockFor(id)) {
        rec = refresh(rec);
      }
      if (rec.state() != ContainerState.EXITED && rec.launched()) {
        stop(id, Duration.ZERO);
      }
      synchronized (lockFor(id)) {
        rec = records.get(id);
        if (rec == null) {
          return;
        }
        rec = refresh(rec);
        if (rec.launched() && rec.state() != ContainerState.EXITED && stops < 2) {
          // StartContainer launched it meanwhile: stop it again first. Past that (a monitor that
          // never reports the exit), the cleanup's forced runtime delete and monitor kill end it.
          continue;
        }
        OciRuntime runtime = backgroundRuntime(rec.handler());
        try {
          // From here on a crash leaves a directory without a record: recover() sweeps it.
          store.delete(id);
        } catch (IOException e) {
          throw Errors.internal("removing container " + id + ": " + e.getMessage(), e);
        }
        records.remove(id);
        ContainerRecord removed = rec;
        removals.submit(id, rec.sandboxId(), () -> release(removed, runtime), onHostClean);
      }
      locks.remove(id);
      return;
    }
  }

  /**
   * What a removed container leaves on the host: its runtime state and cgroup, its monitor, its
   * mounts, exit file, attach socket and directory.
   */
  private void release(ContainerRecord rec, OciRuntime runtime) throws IOException {
    String id = rec.id();
    if (rec.launched()) {
      runtime.delete(id);
    }
    ProcessIdentity mon = rec.monitor();
    if (mon != null && !awaitDeath(mon, Duration.ofSeconds(5)) && mon.isAlive()) {
      linux.kill(mon.pid(), StopSignal.SIGKILL);
      awaitDeath(mon, Duration.ofSeconds(5));
    }
    deleteHostFiles(id, rec.bundlePath());
  }

  /** A container's files: its rootfs mount, exit file, attach socket and directory. */
  private void deleteHostFiles(String id, Path dir) throws IOException {
    overlay.remove(dir);
    Files.deleteIfExists(monitor.exitFile(id));
    Files.deleteIfExists(config.monitor().socketDir().resolve(id));
    FileTrees.delete(dir);
  }

  /**
   * Waits until the host cleanup of every container removed so far is done; false if some has
   * failed or still runs after {@code wait}.
   */
  public boolean awaitRemovals(Duration wait) {
    return removals.awaitClean(null, wait).isEmpty();
  }

  /**
   * Waits until the removed containers of pod {@code sandboxId} have left the host (RemovePodSandbox
   * waits before it removes the pod's cgroup), trying failed cleanups again at once. Returns what is
   * still not clean, one line per container with its last error; empty when all are.
   */
  public List<String> awaitRemovals(String sandboxId, Duration wait) {
    return removals.awaitClean(sandboxId, wait);
  }

  // ---- ContainerStatus / ListContainers -----------------------------------------------------

  /** The container's current record (state refreshed from its processes and exit file). */
  public Optional<ContainerRecord> status(String id) {
    if (!records.containsKey(id)) {
      return Optional.empty();
    }
    synchronized (lockFor(id)) {
      ContainerRecord rec = records.get(id);
      return rec == null ? Optional.empty() : Optional.of(refresh(rec));
    }
  }

  /** Every container, refreshed, oldest first. */
  public List<ContainerRecord> list() {
    List<ContainerRecord> out = new ArrayList<>();
    for (String id : List.copyOf(records.keySet())) {
      status(id).ifPresent(out::add);
    }
    out.sort(Comparator.comparingLong(ContainerRecord::createdAt));
    return out;
  }

  /** The container's OCI spec as written at creation (resources as last updated). */
  public Oci.Spec spec(String id) {
    ContainerRecord rec = require(id);
    try {
      return OciJson.fromBytes(Files.readAllBytes(rec.bundlePath().resolve("config.json")), Oci.Spec.class);
    } catch (IOException e) {
      throw Errors.internal("reading the spec of container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * The CRI {@code ContainerConfig} the container was created with (labels, annotations, image,
   * mounts, metadata...), as stored at creation.
   */
  public ContainerConfig criConfig(String id) {
    ContainerRecord rec = require(id);
    try {
      return ContainerConfig.parseFrom(Files.readAllBytes(rec.bundlePath().resolve(CRI_CONFIG)));
    } catch (IOException e) {
      throw Errors.internal("reading the CRI config of container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Brings a record up to date: an exit file means EXITED with its code and time; a live init means
   * nothing changed; an init gone without an exit file and without a live monitor means the exit
   * code is lost (monitor killed, host rebooted): EXITED with 255, as CRI-O reports it.
   */
  private ContainerRecord refresh(ContainerRecord rec) {
    // Not launched: no process and no monitor, so nothing to read; an exit file there could only
    // be a late one from an undone launch.
    if (rec.state() == ContainerState.EXITED || rec.state() == ContainerState.CREATING || !rec.launched()) {
      return rec;
    }
    try {
      Optional<ExitStatus> exit = ExitStatus.read(monitor.exitFile(rec.id()));
      if (exit.isPresent()) {
        return save(exited(rec, exit.get()));
      }
      ProcessIdentity init = rec.init();
      if (rec.state() != ContainerState.UNKNOWN && init != null && init.isAlive()) {
        return rec;
      }
      ProcessIdentity mon = rec.monitor();
      if (mon != null && mon.isAlive()) {
        if (rec.state() == ContainerState.UNKNOWN || init == null) {
          return rec;
        }
        // The init is gone and the monitor is about to write the exit file.
        Optional<ExitStatus> late = awaitExitFile(rec.id(), mon, EXIT_FILE_WAIT);
        return late.isPresent() ? save(exited(rec, late.get())) : rec;
      }
      // Monitor gone: one more look, the monitor writes the file just before it exits.
      exit = ExitStatus.read(monitor.exitFile(rec.id()));
      if (exit.isPresent()) {
        return save(exited(rec, exit.get()));
      }
      if (rec.state() == ContainerState.UNKNOWN) {
        return rec;
      }
      return save(rec.exited(255, nowNanos(), "ContainerMonitorGone"));
    } catch (IOException e) {
      throw Errors.internal("reading the state of container " + rec.id() + ": " + e.getMessage(), e);
    }
  }

  private ContainerRecord exited(ContainerRecord rec, ExitStatus exit) {
    boolean oom = Files.exists(rec.bundlePath().resolve("oom"));
    String reason = oom ? "OOMKilled" : exit.exitCode() == 0 ? "Completed" : "Error";
    // File times come from the kernel's coarse clock (a tick behind); never report an exit before the start.
    long finishedAt = Math.max(exit.finishedAtNanos(), rec.startedAt());
    return rec.exited(exit.exitCode(), finishedAt, reason);
  }

  private Optional<ExitStatus> awaitExitFile(String id, ProcessIdentity mon, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    long sleep = 2;
    while (true) {
      Optional<ExitStatus> exit = ExitStatus.read(monitor.exitFile(id));
      if (exit.isPresent() || !mon.isAlive() || System.nanoTime() > deadline) {
        return exit.isPresent() ? exit : ExitStatus.read(monitor.exitFile(id));
      }
      pause(sleep);
      sleep = Math.min(POLL_MAX_MS, sleep * 2);
    }
  }

  // ---- ExecSync -----------------------------------------------------------------------------

  /**
   * Runs {@code command} in the running container and returns its output (each stream capped at
   * 16 MiB) and exit code; with a positive timeout the command is killed when it expires and the
   * result says {@code timedOut}.
   */
  public ExecResult execSync(String id, List<String> command, Duration timeout) {
    if (command.isEmpty()) {
      throw Errors.invalidArgument("cmd is empty");
    }
    ContainerRecord rec;
    synchronized (lockFor(id)) {
      rec = refresh(require(id));
    }
    if (rec.state() != ContainerState.RUNNING) {
      throw Errors.failedPrecondition("container " + id + " is not running (" + rec.state() + ")");
    }
    Oci.Process process = spec(id).process().forExec(command, false);
    try {
      return monitor.exec(id, runtime(rec.handler()), process, timeout, rec.bundlePath());
    } catch (IOException e) {
      throw Errors.internal(e.getMessage(), e);
    }
  }

  // ---- UpdateContainerResources -------------------------------------------------------------

  /** Applies new CPU/memory/hugepage/unified limits to a created or running container. */
  public void updateResources(String id, LinuxContainerResources resources) {
    synchronized (lockFor(id)) {
      ContainerRecord rec = refresh(require(id));
      if (rec.state() != ContainerState.RUNNING && rec.state() != ContainerState.CREATED) {
        throw Errors.failedPrecondition("container " + id + " is " + rec.state() + "; only created or running "
            + "containers can be updated");
      }
      Oci.Spec spec = spec(id);
      Oci.Resources current = spec.linux().resources();
      Oci.Resources update = ResourcesMapper.toOci(resources, null, host, null, "linux");
      try {
        if (rec.launched()) {
          runtime(rec.handler()).update(id, update, rec.bundlePath());
        }
        Oci.Resources merged = new Oci.Resources(
            current == null ? null : current.devices(),
            update.memory() != null ? update.memory() : current == null ? null : current.memory(),
            update.cpu() != null ? update.cpu() : current == null ? null : current.cpu(),
            current == null ? null : current.pids(),
            update.hugepageLimits() != null ? update.hugepageLimits() : current == null ? null : current.hugepageLimits(),
            update.unified() != null ? update.unified() : current == null ? null : current.unified());
        AtomicFile.write(rec.bundlePath().resolve("config.json"),
            OciJson.toBytes(spec.withLinux(spec.linux().withResources(merged))));
      } catch (IOException e) {
        throw Errors.internal("updating resources of container " + id + ": " + e.getMessage(), e);
      }
    }
  }

  // ---- ReopenContainerLog -------------------------------------------------------------------

  /** Makes the container's monitor reopen its log file (kubelet renamed it to rotate). */
  public void reopenLog(String id) {
    ContainerRecord rec;
    synchronized (lockFor(id)) {
      rec = refresh(require(id));
    }
    if (rec.state() != ContainerState.RUNNING) {
      throw Errors.failedPrecondition("container " + id + " is not running (" + rec.state() + ")");
    }
    try {
      monitor.reopenLog(rec.bundlePath(), Path.of(rec.logPath()), rec.monitor(), REOPEN_WAIT);
    } catch (IOException e) {
      throw Errors.internal("reopening the log of container " + id + ": " + e.getMessage(), e);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private OciRuntime runtime(String handler) {
    return runtimes.get(handlerName(handler));
  }

  /** The same runtime, its programs run at {@link #CLEANUP_NICE}. */
  private OciRuntime backgroundRuntime(String handler) {
    return backgroundRuntimes.get(handlerName(handler));
  }

  /** The configured handler a request names (the default one when it names none). */
  private String handlerName(String handler) {
    String name = handler == null || handler.isEmpty() ? config.defaultHandler() : handler;
    if (!runtimes.containsKey(name)) {
      throw Errors.invalidArgument("runtime_handler \"" + handler + "\" is not configured (have "
          + runtimes.keySet() + ")");
    }
    return name;
  }

  private ContainerRecord require(String id) {
    ContainerRecord rec = records.get(id);
    if (rec == null) {
      throw Errors.notFound("container " + id + " not found");
    }
    return rec;
  }

  /** Records a state transition; it can be re-derived after a crash, so it is not fsynced. */
  private ContainerRecord save(ContainerRecord rec) {
    if (!records.containsKey(rec.id())) {
      // Removed meanwhile (the caller read the record before RemoveContainer took the lock):
      // writing it would bring the container back from a directory that is being deleted.
      return rec;
    }
    try {
      store.update(rec);
    } catch (IOException e) {
      throw Errors.internal("saving the state of container " + rec.id() + ": " + e.getMessage(), e);
    }
    records.put(rec.id(), rec);
    return rec;
  }

  private Object lockFor(String id) {
    return locks.computeIfAbsent(id, k -> new Object());
  }

  /** Waits until the process has exited; false if it still runs after {@code wait}. */
  private static boolean awaitDeath(ProcessIdentity p, Duration wait) throws InterruptedIOException {
    long deadline = System.nanoTime() + wait.toNanos();
    long sleep = 1;
    while (p.isAlive()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      pause(sleep);
      sleep = Math.min(POLL_MAX_MS, sleep * 2);
    }
    return true;
  }

  private static void pause(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }


  @Override
  public void close() {
    // Pending cleanups finish here; whatever a crash cuts short, the next start's sweep removes.
    removals.close(REMOVAL_WAIT);
    monitor.close();
    commands.close();
    backgroundCommands.close();
  }
}
