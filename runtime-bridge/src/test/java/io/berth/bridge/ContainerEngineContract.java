package io.berth.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.bridge.monitor.ContainerMonitor;
import io.berth.bridge.monitor.ContainerLaunch;
import io.berth.bridge.monitor.CreatedContainer;
import io.berth.bridge.monitor.ExecResult;
import io.berth.bridge.oci.OciRuntime;
import io.berth.bridge.oci.OciRuntimes;
import io.berth.bridge.oci.RuntimeCommandException;
import io.berth.bridge.oci.RuntimeHandler;
import io.berth.bridge.oci.RuntimeState;
import io.berth.bridge.proc.ProcessIdentity;
import io.berth.bridge.rootfs.OverlayRootfs;
import io.berth.bridge.spec.HostFacts;
import io.berth.bridge.spec.ImageConfig;
import io.berth.bridge.spec.LinuxHostView;
import io.berth.bridge.spec.NamespaceRef;
import io.berth.bridge.spec.PodNamespaces;
import io.berth.bridge.state.ContainerRecord;
import io.berth.bridge.state.ContainerState;
import io.berth.bridge.state.ContainerStore;
import io.berth.bridge.testing.BusyboxRootfs;
import io.berth.bridge.testing.Cgroups;
import io.berth.bridge.testing.HostRequirements;
import io.berth.bridge.testing.TestMonitor;
import io.berth.cri.v1.Capability;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerMetadata;
import io.berth.cri.v1.Int64Value;
import io.berth.cri.v1.LinuxContainerResources;
import io.berth.cri.v1.LinuxContainerSecurityContext;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxMetadata;
import io.berth.cri.v1.SecurityProfile;
import io.berth.os.Linux;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container engine against a real runtime, monitor, overlayfs and cgroups; run for crun and
 * for runc with berth-monitor, and for crun with conmon, by the subclasses. Containers use the
 * host network but their own mount, pid, ipc and uts namespaces, and a cgroup parent of the
 * test's own, removed afterwards with everything else.
 */
abstract class ContainerEngineContract {
  private static final Pattern CRI_LOG_LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{1,9}(Z|[+-]\\d\\d:\\d\\d) (stdout|stderr) ([PF]) (.*)$");
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  static Path imageDir;
  static Path busybox;
  static Linux linux;
  static HostFacts host;

  @TempDir
  Path tmp;
  Path stateRoot;
  Path logDir;
  String cgroupParent;
  EngineConfig config;
  ContainerEngine engine;
  final List<ContainerEngine> engines = new ArrayList<>();

  /** The runtime handler under test. */
  abstract RuntimeHandler handler(Path runtimeRoot);

  /** The monitor program under test: the berth-monitor this build compiled, unless overridden. */
  Path monitorBinary() {
    return TestMonitor.berthMonitor();
  }

  @BeforeAll
  static void buildImage() throws IOException {
    HostRequirements.requireRoot();
    HostRequirements.requireBinary("crun", "crun");
    HostRequirements.requireBinary("runc", "runc");
    HostRequirements.requireHugetlbV1ForCrun();
    linux = Linux.load();
    host = HostFacts.probe();
    busybox = BusyboxRootfs.build(imageDir.resolve("busybox"));
  }

  @BeforeEach
  void newEngine() throws IOException {
    stateRoot = tmp.resolve("state");
    logDir = Files.createDirectories(tmp.resolve("logs"));
    cgroupParent = "berth-it-" + hex(4);
    RuntimeHandler h = handler(tmp.resolve("runtime"));
    EngineConfig standard = EngineConfig.standard(stateRoot, tmp.resolve("runtime"));
    config = new EngineConfig(standard.containersDir(), Map.of(h.name(), h), h.name(),
        standard.monitor().withBinary(monitorBinary()), standard.cgroupDriver());
    engine = open();
  }

  ContainerEngine open() throws IOException {
    ContainerEngine e = new ContainerEngine(config, host, new LinuxHostView(), linux);
    engines.add(e);
    return e;
  }

  @AfterEach
  void removeEverything() throws IOException {
    List<ContainerRecord> left = engine.list();
    for (ContainerRecord r : left) {
      engine.remove(r.id());
    }
    assertTrue(engine.awaitRemovals(Duration.ofSeconds(30)), "host cleanup of the removed containers finished");
    for (ContainerRecord r : left) {
      if (r.monitor() != null) {
        assertFalse(r.monitor().isAlive(), "the monitor of " + r.id() + " is gone after RemoveContainer");
      }
      if (r.init() != null) {
        assertFalse(r.init().isAlive(), "init of " + r.id() + " is gone after RemoveContainer");
      }
    }
    engines.forEach(ContainerEngine::close);
    try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mountinfo"))) {
      List<String> ours = mounts.filter(l -> l.contains(stateRoot.toString())).collect(Collectors.toList());
      assertEquals(List.of(), ours, "no mounts left under the test's state dir");
    }
    Cgroups.remove(cgroupParent);
    assertEquals(List.of(), Cgroups.dirs(cgroupParent), "cgroup parent removed");
  }

  @AfterAll
  static void noLeftoverRuntimeProcesses() {
    // Each test checks its own containers; nothing global to undo.
  }

  // ---- helpers ------------------------------------------------------------------------------

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static ContainerConfig.Builder container(String name, String... shellScript) {
    ContainerConfig.Builder b = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .addCommand("/bin/sh").addArgs("-c").addArgs(String.join("\n", shellScript))
        .setLogPath(name + ".log");
    b.getLinuxBuilder().setSecurityContext(LinuxContainerSecurityContext.getDefaultInstance());
    return b;
  }

  static PodSandboxConfig sandbox() {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("it").setNamespace("default").setUid("uid"))
        .setHostname("berth-it").build();
  }

  ContainerRecord create(ContainerConfig.Builder c) {
    return create(c, PodNamespaces.hostNetworkOnly());
  }

  ContainerRecord create(ContainerConfig.Builder c, PodNamespaces namespaces) {
    ContainerConfig config = c.build();
    PodContext pod = new PodContext(namespaces, "berth-it", null, null, null, null, "/" + cgroupParent, null);
    return engine.create(new CreateRequest(hex(32), "sandbox-" + hex(4), "", config, sandbox(),
        new ImageConfig(List.of(), List.of("/bin/sh"), List.of("FROM_IMAGE=1"), "/", "", ""), "busybox:it",
        List.of(busybox), logDir.resolve(config.getLogPath()), pod));
  }

  ContainerRecord run(ContainerConfig.Builder c) {
    ContainerRecord r = create(c);
    return engine.start(r.id());
  }

  ContainerRecord awaitExit(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      ContainerRecord r = engine.status(id).orElseThrow();
      if (r.state() == ContainerState.EXITED) {
        return r;
      }
      Thread.sleep(20);
    }
    return fail("container " + id + " did not exit within 60 s");
  }

  static List<String> logLines(String path) throws IOException {
    return Files.readAllLines(Path.of(path), StandardCharsets.UTF_8);
  }

  /** The text of a CRI log, P chunks joined, per stream. */
  static String stream(List<String> lines, String stream) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      var m = CRI_LOG_LINE.matcher(line);
      assertTrue(m.matches(), "not a CRI log line: " + line);
      if (m.group(2).equals(stream)) {
        sb.append(m.group(4));
        if (m.group(3).equals("F")) {
          sb.append('\n');
        }
      }
    }
    return sb.toString();
  }

  String awaitLog(String path, String needle) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Path p = Path.of(path);
      if (Files.exists(p)) {
        String text = Files.readString(p);
        if (text.contains(needle)) {
          return text;
        }
      }
      Thread.sleep(20);
    }
    return fail(path + " never contained \"" + needle + "\"");
  }

  // ---- the matrix ---------------------------------------------------------------------------

  @Test
  void echoIsLoggedInCriFormatAndExitsCompleted() throws Exception {
    ContainerRecord r = run(container("echo", "echo hello from $FROM_IMAGE", "echo oops >&2"));
    ContainerRecord done = awaitExit(r.id());
    assertEquals(0, done.exitCode());
    assertEquals("Completed", done.exitReason());
    assertTrue(done.finishedAt() >= done.startedAt() && done.startedAt() >= done.createdAt());
    List<String> lines = logLines(done.logPath());
    lines.forEach(l -> assertTrue(CRI_LOG_LINE.matcher(l).matches(), "CRI log line: " + l));
    assertEquals("hello from 1\n", stream(lines, "stdout"));
    assertEquals("oops\n", stream(lines, "stderr"));
  }

  @Test
  void exitCodeThreeIsReportedAsError() throws Exception {
    ContainerRecord done = awaitExit(run(container("three", "exit 3")).id());
    assertEquals(3, done.exitCode());
    assertEquals("Error", done.exitReason());
  }

  @Test
  void aContainerIgnoringSigtermIsKilledAfterTheTimeout() throws Exception {
    ContainerRecord r = run(container("stubborn", "trap '' TERM", "echo ready", "while true; do sleep 1; done"));
    awaitLog(r.logPath(), "ready");
    ContainerRecord stopped = engine.stop(r.id(), Duration.ofSeconds(2)).orElseThrow();
    assertEquals(ContainerState.EXITED, stopped.state());
    assertEquals(128 + 9, stopped.exitCode(), "killed by SIGKILL");
  }

  @Test
  void aContainerHandlingSigtermStopsGracefully() throws Exception {
    ContainerRecord r = run(container("polite", "trap 'echo bye; exit 0' TERM", "echo ready",
        "while true; do sleep 1; done"));
    awaitLog(r.logPath(), "ready");
    ContainerRecord stopped = engine.stop(r.id(), Duration.ofSeconds(30)).orElseThrow();
    assertEquals(0, stopped.exitCode());
    assertTrue(Files.readString(Path.of(stopped.logPath())).contains("stdout F bye"));
  }

  @Test
  void readonlyRootfsRefusesWrites() throws Exception {
    ContainerConfig.Builder c = container("ro", "touch /written && echo wrote || echo refused");
    c.getLinuxBuilder().getSecurityContextBuilder().setReadonlyRootfs(true);
    ContainerRecord done = awaitExit(run(c).id());
    List<String> lines = logLines(done.logPath());
    assertEquals("refused\n", stream(lines, "stdout"));
    assertTrue(stream(lines, "stderr").contains("Read-only file system"), stream(lines, "stderr"));
  }

  @Test
  void droppedCapabilitiesAreMissing() throws Exception {
    ContainerConfig.Builder c = container("caps", "grep Cap /proc/self/status");
    c.getLinuxBuilder().getSecurityContextBuilder().setCapabilities(Capability.newBuilder()
        .addDropCapabilities("NET_RAW").addDropCapabilities("CHOWN"));
    ContainerRecord done = awaitExit(run(c).id());
    String out = stream(logLines(done.logPath()), "stdout");
    long eff = capMask(out, "CapEff");
    long bnd = capMask(out, "CapBnd");
    assertEquals(0, eff & (1L << 13), "CAP_NET_RAW dropped: " + out);
    assertEquals(0, eff & 1L, "CAP_CHOWN dropped");
    assertEquals(0, bnd & (1L << 13), "dropped from the bounding set too");
    assertTrue((eff & (1L << 5)) != 0, "CAP_KILL kept");
    assertEquals(0, bnd & (1L << 24), "CAP_SYS_RESOURCE never asked for");
  }

  static long capMask(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
      }
    }
    return fail(field + " missing in " + status);
  }

  @Test
  void defaultSeccompProfileBlocksUnshareWhichUnconfinedAllows() throws Exception {
    ContainerConfig.Builder confined = container("seccomp", "unshare -U true && echo allowed || echo blocked");
    confined.getLinuxBuilder().getSecurityContextBuilder()
        .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault));
    ContainerConfig.Builder unconfined = container("noseccomp", "unshare -U true && echo allowed || echo blocked");
    unconfined.getLinuxBuilder().getSecurityContextBuilder()
        .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Unconfined));
    ContainerRecord a = awaitExit(run(confined).id());
    ContainerRecord b = awaitExit(run(unconfined).id());
    List<String> confinedLog = logLines(a.logPath());
    assertEquals("blocked\n", stream(confinedLog, "stdout"));
    assertTrue(stream(confinedLog, "stderr").contains("Operation not permitted"), stream(confinedLog, "stderr"));
    assertEquals("allowed\n", stream(logLines(b.logPath()), "stdout"), "without seccomp the same call works");
  }

  @Test
  void execSyncReturnsOutputAndExitCodeAndHonoursTheTimeout() throws Exception {
    ContainerRecord r = run(container("sleeper", "echo ready", "exec sleep 1000"));
    awaitLog(r.logPath(), "ready");
    ExecResult ok = engine.execSync(r.id(), List.of("sh", "-c", "echo out; echo err >&2; exit 5"), Duration.ofSeconds(10));
    assertEquals("out\n", new String(ok.stdout(), StandardCharsets.UTF_8));
    assertEquals("err\n", new String(ok.stderr(), StandardCharsets.UTF_8));
    assertEquals(5, ok.exitCode());
    assertFalse(ok.timedOut());

    ExecResult slow = engine.execSync(r.id(), List.of("sh", "-c", "echo started; sleep 30"), Duration.ofSeconds(1));
    assertTrue(slow.timedOut());
    assertEquals("started\n", new String(slow.stdout(), StandardCharsets.UTF_8));
    ExecResult after = engine.execSync(r.id(), List.of("sh", "-c", "ps -o pid,args | grep -c 'sleep 3[0]' || true"),
        Duration.ofSeconds(10));
    assertEquals("0\n", new String(after.stdout(), StandardCharsets.UTF_8), "the timed-out command was killed");

    ExecResult noTimeout = engine.execSync(r.id(), List.of("id", "-u"), Duration.ZERO);
    assertEquals("0\n", new String(noTimeout.stdout(), StandardCharsets.UTF_8));
  }

  @Test
  void execSyncInAnExitedContainerIsAFailedPrecondition() throws Exception {
    ContainerRecord done = awaitExit(run(container("gone", "true")).id());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> engine.execSync(done.id(), List.of("true"), Duration.ofSeconds(5)));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
  }

  @Test
  void aLineLongerThanTheChunkSizeIsSplitIntoPartialEntries() throws Exception {
    // 40000 bytes in one write (dd), so the monitor finds whole chunks in the pipe: berth-monitor
    // cuts 16 KiB entries like containerd, conmon 8 KiB ones (its read buffer).
    int chunk = config.monitor().kind().logChunkBytes();
    ContainerRecord done = awaitExit(run(container("long", "head -c 40000 /dev/zero | tr '\\0' a > /tmp/long",
        "dd if=/tmp/long bs=40000 count=1 2>/dev/null", "echo", "echo short")).id());
    List<String> lines = logLines(done.logPath());
    List<Integer> partials = new ArrayList<>();
    for (String l : lines) {
      var m = CRI_LOG_LINE.matcher(l);
      assertTrue(m.matches(), l);
      assertTrue(m.group(4).length() <= chunk, "entries are at most " + chunk + " bytes: " + m.group(4).length());
      if (m.group(2).equals("stdout") && m.group(3).equals("P")) {
        partials.add(m.group(4).length());
      }
    }
    assertTrue(partials.size() >= 2, "at least two P entries for 40000 bytes: " + partials);
    assertEquals(chunk, partials.get(0), "the first P entry is a whole chunk: " + partials);
    assertEquals(chunk, partials.get(1), "so is the second: " + partials);
    assertEquals("a".repeat(40000) + "\nshort\n", stream(lines, "stdout"));
  }

  @Test
  void textWithoutNewlineIsLoggedAsPartialBeforeTheLineEnds() throws Exception {
    ContainerRecord r = run(container("prompt", "printf 'name? '", "sleep 2", "echo bob"));
    // The prompt shows while the line is still open: written as a P entry, not held back.
    String early = awaitLog(r.logPath(), "name? ");
    assertTrue(early.contains(" stdout P name? "), early);
    ContainerRecord done = awaitExit(r.id());
    assertEquals("name? bob\n", stream(logLines(done.logPath()), "stdout"));
  }

  @Test
  void userAndWorkingDirFromTheSecurityContext() throws Exception {
    ContainerConfig.Builder c = container("user", "id; pwd").setWorkingDir("/tmp");
    c.getLinuxBuilder().getSecurityContextBuilder().setRunAsUser(Int64Value.newBuilder().setValue(BusyboxRootfs.APP_UID))
        .addSupplementalGroups(4242);
    ContainerRecord done = awaitExit(run(c).id());
    String out = stream(logLines(done.logPath()), "stdout");
    assertTrue(out.startsWith("uid=1000(app) gid=1000(app) groups=10(wheel),1000(app),4242\n"), out);
    assertTrue(out.endsWith("/tmp\n"), out);
  }

  @Test
  void updateResourcesChangesTheMemoryLimit() throws Exception {
    ContainerRecord r = run(container("limited", "echo ready", "exec sleep 1000"));
    awaitLog(r.logPath(), "ready");
    engine.updateResources(r.id(), LinuxContainerResources.newBuilder().setMemoryLimitInBytes(96L << 20).build());
    Path limit = Path.of("/sys/fs/cgroup/memory", cgroupParent, r.id(), "memory.limit_in_bytes");
    if (host.cgroupV2()) {
      limit = Path.of("/sys/fs/cgroup", cgroupParent, r.id(), "memory.max");
    }
    assertEquals(Long.toString(96L << 20), Files.readString(limit).trim());
    assertEquals(96L << 20, engine.spec(r.id()).linux().resources().memory().limit(), "config.json follows");
  }

  @Test
  void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
    ContainerConfig.Builder c = container("hog", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived");
    c.getLinuxBuilder().setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(32L << 20));
    ContainerRecord done = awaitExit(run(c).id());
    assertEquals("OOMKilled", done.exitReason());
    assertNotEquals(0, done.exitCode());
  }

  @Test
  void reopenLogStartsANewFileAfterRotation() throws Exception {
    ContainerRecord r = run(container("ticker", "i=0", "while true; do echo tick $i; i=$((i+1)); sleep 0.1; done"));
    awaitLog(r.logPath(), "tick 2");
    Path log = Path.of(r.logPath());
    Path rotated = log.resolveSibling(log.getFileName() + ".1");
    Files.move(log, rotated);
    engine.reopenLog(r.id());
    assertTrue(Files.exists(log), "a new log file");
    awaitLog(r.logPath(), "tick");
    assertTrue(Files.readString(rotated).contains("tick 0"));
  }

  @Test
  void containersKeepRunningWhenTheDaemonJvmIsKilled() throws Exception {
    String id = hex(32);
    Path log = logDir.resolve("orphan.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        EngineChild.class.getName(), stateRoot.toString(), tmp.resolve("runtime").toString(),
        config.defaultHandler(), busybox.toString(), log.toString(), cgroupParent, id,
        config.monitor().binary().toString())
        .redirectErrorStream(true).start();
    String line;
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.startsWith("STARTED ")) {
        seen.append(line).append('\n');
      }
      assertTrue(line != null, "the child engine started a container; it printed:\n" + seen);
      awaitLog(log.toString(), "tick 1");
      child.destroyForcibly().waitFor();
    }

    ContainerEngine after = open();
    engine = after;
    ContainerRecord rec = after.status(id).orElseThrow();
    assertEquals(ContainerState.RUNNING, rec.state());
    assertTrue(rec.init().isAlive(), "the container outlived the JVM that started it");
    assertTrue(rec.monitor().isAlive(), "so did its monitor");
    long ppid = ProcessHandle.of(rec.monitor().pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
        .orElse(-1L);
    assertNotEquals(child.pid(), ppid, "the monitor was reparented");
    long before = logLines(log.toString()).size();
    awaitLog(log.toString(), "tick " + (before + 3));
    ContainerRecord stopped = after.stop(id, Duration.ZERO).orElseThrow();
    assertEquals(137, stopped.exitCode(), "its exit code still reaches the new engine");
  }

  @Test
  void bindMountsWithEachPropagationMode() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    Files.createDirectories(shared.resolve("from-host"));
    Files.createDirectories(shared.resolve("from-container"));
    linux.bindMount(shared.toString(), shared.toString(), false);
    try {
      linux.mount(null, shared.toString(), null, Linux.MS_SHARED, null);
      ContainerConfig.Builder priv = container("private", "echo ready", "exec sleep 1000")
          .addMounts(io.berth.cri.v1.Mount.newBuilder().setContainerPath("/mnt").setHostPath(shared.toString()));
      ContainerConfig.Builder slave = container("slave", "echo ready", "exec sleep 1000")
          .addMounts(io.berth.cri.v1.Mount.newBuilder().setContainerPath("/mnt").setHostPath(shared.toString())
              .setPropagation(io.berth.cri.v1.MountPropagation.PROPAGATION_HOST_TO_CONTAINER));
      ContainerConfig.Builder bidi = container("bidi", "echo ready", "exec sleep 1000")
          .addMounts(io.berth.cri.v1.Mount.newBuilder().setContainerPath("/mnt").setHostPath(shared.toString())
              .setPropagation(io.berth.cri.v1.MountPropagation.PROPAGATION_BIDIRECTIONAL));
      bidi.getLinuxBuilder().getSecurityContextBuilder()
          .setCapabilities(Capability.newBuilder().addAddCapabilities("SYS_ADMIN"));
      List<ContainerRecord> started = new ArrayList<>();
      for (ContainerConfig.Builder c : List.of(priv, slave, bidi)) {
        ContainerRecord r = run(c);
        awaitLog(r.logPath(), "ready");
        started.add(r);
      }
      // A mount made on the host after the containers started.
      linux.mount("tmpfs", shared.resolve("from-host").toString(), "tmpfs", 0, "size=1m");
      Files.writeString(shared.resolve("from-host/marker"), "m");
      List<String> check = List.of("sh", "-c", "test -e /mnt/from-host/marker && echo seen || echo unseen");
      assertEquals("unseen\n", out(engine.execSync(started.get(0).id(), check, Duration.ofSeconds(10))),
          "rprivate: later host mounts stay out");
      assertEquals("seen\n", out(engine.execSync(started.get(1).id(), check, Duration.ofSeconds(10))),
          "rslave: later host mounts come in");
      assertEquals("seen\n", out(engine.execSync(started.get(2).id(), check, Duration.ofSeconds(10))),
          "rshared: later host mounts come in");
      ExecResult mounted = engine.execSync(started.get(2).id(), List.of("sh", "-c",
          "mount -t tmpfs none /mnt/from-container && touch /mnt/from-container/x"), Duration.ofSeconds(10));
      assertEquals(0, mounted.exitCode(), new String(mounted.stderr(), StandardCharsets.UTF_8));
      assertTrue(Files.exists(shared.resolve("from-container/x")), "rshared: container mounts reach the host");
      ExecResult slaveTry = engine.execSync(started.get(1).id(), List.of("sh", "-c",
          "mount -t tmpfs none /mnt/from-container"), Duration.ofSeconds(10));
      assertNotEquals(0, slaveTry.exitCode(), "without CAP_SYS_ADMIN the rslave container cannot mount");
    } finally {
      for (ContainerRecord r : engine.list()) {
        engine.remove(r.id());
      }
      engine.awaitRemovals(Duration.ofSeconds(30));
      linux.unmountIfMounted(shared.resolve("from-container").toString());
      linux.unmountIfMounted(shared.resolve("from-host").toString());
      linux.unmountIfMounted(shared.toString());
    }
  }

  static String out(ExecResult r) {
    return new String(r.stdout(), StandardCharsets.UTF_8);
  }

  @Test
  void aMissingExecutableFailsWithoutLeavingAnythingBehind() throws Exception {
    ContainerConfig.Builder c = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName("missing")).addCommand("/does-not-exist")
        .setLogPath("missing.log");
    c.getLinuxBuilder().setSecurityContext(LinuxContainerSecurityContext.getDefaultInstance());
    ContainerRecord r;
    try {
      r = create(c);
    } catch (StatusRuntimeException e) {
      // runc checks the executable at create time.
      assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
      assertTrue(e.getMessage().contains("does-not-exist"), e.getMessage());
      try (Stream<Path> dirs = Files.list(config.containersDir())) {
        assertEquals(0, dirs.count(), "the failed creation left nothing");
      }
      return;
    }
    // crun finds out when the process execs: start fails or the container exits 127.
    try {
      engine.start(r.id());
      assertEquals(127, awaitExit(r.id()).exitCode());
    } catch (StatusRuntimeException e) {
      assertTrue(e.getMessage().contains("does-not-exist"), e.getMessage());
    }
  }

  @Test
  void execOfAMissingCommandIsAnError() throws Exception {
    ContainerRecord r = run(container("host", "echo ready", "exec sleep 1000"));
    awaitLog(r.logPath(), "ready");
    try {
      ExecResult res = engine.execSync(r.id(), List.of("/no/such/binary"), Duration.ofSeconds(10));
      assertEquals(127, res.exitCode(), "or the runtime reports it as an error");
    } catch (StatusRuntimeException e) {
      assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
      assertTrue(e.getMessage().contains("/no/such/binary"), e.getMessage());
    }
    assertEquals("still\n", out(engine.execSync(r.id(), List.of("echo", "still"), Duration.ofSeconds(10))));
  }

  @Test
  void aPinnedPodNamespaceIsJoinedByPath() throws Exception {
    HostRequirements.requireBinary("unshare", "util-linux");
    Path pinned = Files.createFile(tmp.resolve("uts"));
    var pin = new ProcessBuilder("unshare", "--uts=" + pinned, "hostname", "pinned-pod").inheritIO().start();
    assertEquals(0, pin.waitFor(), "unshare --uts=<file> pins a UTS namespace");
    try {
      PodNamespaces ns = new PodNamespaces(NamespaceRef.host(), NamespaceRef.fresh(), NamespaceRef.join(pinned.toString()),
          NamespaceRef.fresh());
      ContainerRecord r = create(container("joined", "hostname"), ns);
      engine.start(r.id());
      ContainerRecord done = awaitExit(r.id());
      assertEquals("pinned-pod\n", stream(logLines(done.logPath()), "stdout"));
    } finally {
      linux.unmountIfMounted(pinned.toString());
    }
  }

  @Test
  void theCriConfigIsKeptForTheServer() throws Exception {
    ContainerConfig.Builder c = container("kept", "true").putLabels("app", "web").putAnnotations("note", "x");
    ContainerRecord r = create(c);
    assertEquals("busybox:it", r.imageName());
    engine.close();
    engine = open();
    ContainerConfig kept = engine.criConfig(r.id());
    assertEquals("web", kept.getLabelsOrThrow("app"));
    assertEquals("x", kept.getAnnotationsOrThrow("note"));
    assertEquals("kept", kept.getMetadata().getName());
  }

  @Test
  void recoveryFinishesWhatACrashInterrupted() throws Exception {
    // Launched and started by the runtime, but the daemon "died" before recording the start.
    ContainerRecord r = create(container("half-started", "exec sleep 1000"));
    CreatedContainer launched = launchBehindTheEnginesBack(r);
    new ContainerStore(config.containersDir()).save(r.launched(launched.monitor(), launched.init()));
    try (io.berth.os.CommandRunner runner = new io.berth.os.CommandRunner()) {
      OciRuntimes.of(config.handlers().get(config.defaultHandler()), runner).start(r.id());
    }
    // Launched by the runtime, but the daemon "died" before recording the launch.
    ContainerRecord unrecorded = create(container("half-launched", "exec sleep 1000"));
    CreatedContainer lost = launchBehindTheEnginesBack(unrecorded);
    // A creation cut short before its record was written: a mounted rootfs and nothing else.
    Path orphan = config.containersDir().resolve(hex(32));
    new OverlayRootfs(linux).mount(orphan, List.of(busybox));
    engine.close();

    engine = open();
    assertEquals(ContainerState.RUNNING, engine.status(r.id()).orElseThrow().state());
    assertFalse(Files.exists(orphan), "the interrupted creation was cleaned up");
    assertFalse(OverlayRootfs.isMounted(orphan.resolve("rootfs")));
    assertFalse(lost.init().isAlive(), "the unrecorded launch was undone");
    assertEquals(ContainerState.CREATED, engine.status(unrecorded.id()).orElseThrow().state());
    ContainerRecord relaunched = engine.start(unrecorded.id());
    assertEquals(ContainerState.RUNNING, relaunched.state());
    assertNotEquals(lost.init(), relaunched.init());
    assertEquals(ContainerState.RUNNING, engine.status(unrecorded.id()).orElseThrow().state(),
        "the undone launch's exit file does not mark the new one exited");
  }

  @Test
  void aRemovalCutShortByACrashIsFinishedAtRestart() throws Exception {
    // RemoveContainer deletes the record, then leaves the host in the background: the daemon
    // "dies" in between, with the container stopped, still known to the runtime and mounted.
    ContainerRecord r = run(container("half-removed", "exec sleep 1000"));
    engine.stop(r.id(), Duration.ZERO);
    new ContainerStore(config.containersDir()).delete(r.id());
    OciRuntime runtime = OciRuntimes.of(config.handlers().get(config.defaultHandler()), new io.berth.os.CommandRunner());
    assertTrue(runtime.state(r.id()).isPresent());
    assertTrue(OverlayRootfs.isMounted(r.bundlePath().resolve("rootfs")));
    engine.close();

    engine = open();
    assertTrue(engine.status(r.id()).isEmpty(), "a container whose record was deleted stays removed");
    assertTrue(runtime.state(r.id()).isEmpty(), "the restart deleted it from the runtime");
    assertFalse(OverlayRootfs.isMounted(r.bundlePath().resolve("rootfs")));
    assertFalse(Files.exists(r.bundlePath()));
  }

  /** What StartContainer's launch does, without the engine recording it (as if it crashed). */
  private CreatedContainer launchBehindTheEnginesBack(ContainerRecord r) throws IOException {
    OciRuntime runtime = OciRuntimes.of(config.handlers().get(config.defaultHandler()), new io.berth.os.CommandRunner());
    try (ContainerMonitor monitor = new ContainerMonitor(config.monitor())) {
      return monitor.create(new ContainerLaunch(r.id(), r.name(), r.bundlePath(), Path.of(r.logPath()), runtime,
          false, false, false));
    }
  }

  @Test
  void theRuntimeCliReportsStateAndKnowsMissingContainers() throws Exception {
    io.berth.os.CommandRunner runner = new io.berth.os.CommandRunner();
    OciRuntime runtime = OciRuntimes.of(config.handlers().get(config.defaultHandler()), runner);
    ContainerRecord r = run(container("cli", "exec sleep 1000"));
    RuntimeState running = runtime.state(r.id()).orElseThrow();
    assertEquals("running", running.status());
    assertEquals(r.init().pid(), running.pid());
    assertEquals(r.bundlePath().toString(), running.bundle());
    runtime.kill(r.id(), 9, false);
    ContainerRecord done = awaitExit(r.id());
    assertEquals(137, done.exitCode());
    assertTrue(runtime.state(r.id()).orElseThrow().isStopped());
    RuntimeCommandException e = assertThrows(RuntimeCommandException.class, () -> runtime.kill(r.id(), 9, false));
    assertTrue(e.isNotFound(), e.getMessage());
    runtime.delete(r.id());
    assertTrue(runtime.state(r.id()).isEmpty());
    runtime.delete(r.id());
    runner.close();
  }

  @Test
  void stopAndRemoveOfUnknownContainersSucceed() {
    assertTrue(engine.stop("nope", Duration.ofSeconds(1)).isEmpty());
    engine.remove("nope");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> engine.start("nope"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void removeOfARunningContainerKillsItAndCleansUp() throws Exception {
    ContainerRecord r = run(container("busy", "echo ready", "exec sleep 1000"));
    awaitLog(r.logPath(), "ready");
    Path dir = r.bundlePath();
    assertTrue(OverlayRootfs.isMounted(dir.resolve("rootfs")));
    engine.remove(r.id());
    assertFalse(r.init().isAlive(), "killed before RemoveContainer returns");
    assertTrue(engine.status(r.id()).isEmpty());
    assertTrue(engine.list().stream().noneMatch(x -> x.id().equals(r.id())));
    assertTrue(new ContainerStore(config.containersDir()).load(r.id()).isEmpty(),
        "the record is deleted before RemoveContainer returns");
    assertTrue(engine.awaitRemovals(Duration.ofSeconds(30)));
    assertFalse(r.monitor().isAlive());
    assertFalse(OverlayRootfs.isMounted(dir.resolve("rootfs")));
    assertFalse(Files.exists(dir));
    OciRuntime runtime = OciRuntimes.of(config.handlers().get(config.defaultHandler()), new io.berth.os.CommandRunner());
    assertTrue(runtime.state(r.id()).isEmpty(), "deleted from the runtime");
    assertTrue(Files.exists(Path.of(r.logPath())), "the log stays for kubelet");
  }

  @Test
  void aCreatedContainerRunsNothingUntilStarted() throws Exception {
    ContainerRecord r = create(container("never", "echo never"));
    ContainerRecord created = engine.status(r.id()).orElseThrow();
    assertEquals(ContainerState.CREATED, created.state());
    assertFalse(created.launched(), "no monitor before StartContainer");
    assertNull(created.init());
    OciRuntime runtime = OciRuntimes.of(config.handlers().get(config.defaultHandler()), new io.berth.os.CommandRunner());
    assertTrue(runtime.state(r.id()).isEmpty(), "the runtime does not know it yet");
    // As containerd: stopping a container that was never started leaves it created.
    assertEquals(ContainerState.CREATED, engine.stop(r.id(), Duration.ofSeconds(10)).orElseThrow().state());
    engine.updateResources(r.id(), LinuxContainerResources.newBuilder().setMemoryLimitInBytes(64L << 20).build());
    assertEquals(64L << 20, engine.spec(r.id()).linux().resources().memory().limit(),
        "an update before the start goes into the spec the start uses");
    ContainerRecord running = engine.start(r.id());
    assertTrue(running.launched());
    awaitExit(r.id());
    assertTrue(logLines(r.logPath()).get(0).endsWith(" stdout F never"), logLines(r.logPath()).toString());
  }

  @Test
  void aLaunchThatFailsLeavesTheContainerCreatedAndRemovable() {
    ContainerConfig.Builder c = container("nocmd", "true");
    c.clearCommand().addCommand("/no/such/binary");
    ContainerRecord r = create(c);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> engine.start(r.id()));
    assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains(r.id()), e.getStatus().getDescription());
    ContainerRecord after = engine.status(r.id()).orElseThrow();
    assertEquals(ContainerState.CREATED, after.state());
    assertFalse(after.launched());
    engine.remove(r.id());
    assertTrue(engine.status(r.id()).isEmpty());
    assertTrue(engine.awaitRemovals(Duration.ofSeconds(30)));
    assertFalse(Files.exists(r.bundlePath()));
  }

  @Test
  void aRestartedEngineSeesRunningContainersAndExitCodesOfThoseThatExitedMeanwhile() throws Exception {
    ContainerRecord running = run(container("survivor", "i=0", "while true; do echo tick $i; i=$((i+1)); sleep 0.1; done"));
    ContainerRecord exiting = run(container("leaver", "trap 'exit 7' TERM", "echo trapped",
        "while true; do sleep 0.1; done"));
    awaitLog(running.logPath(), "tick 1");
    // A pid namespace's init ignores SIGTERM until its handler is set: wait for the trap.
    awaitLog(exiting.logPath(), "trapped");
    engine.close();

    // While no engine watches, one container exits: its monitor still records its exit.
    ProcessIdentity leaverInit = exiting.init();
    linux.kill(leaverInit.pid(), 15);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (leaverInit.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    ContainerEngine restarted = open();
    engine = restarted;
    ContainerRecord stillRunning = restarted.status(running.id()).orElseThrow();
    assertEquals(ContainerState.RUNNING, stillRunning.state());
    assertEquals(running.init(), stillRunning.init());
    assertEquals(running.startedAt(), stillRunning.startedAt());
    ContainerRecord exited = awaitExit(exiting.id());
    assertEquals(7, exited.exitCode(), "exited on SIGTERM while no engine was running");
    assertTrue(exited.finishedAt() > exited.startedAt());
    long before = logLines(running.logPath()).size();
    Thread.sleep(500);
    assertTrue(logLines(running.logPath()).size() > before, "logs keep flowing");
    assertEquals(List.of(running.id(), exiting.id()).stream().sorted().collect(Collectors.toList()),
        restarted.list().stream().map(ContainerRecord::id).sorted().collect(Collectors.toList()));
    assertNull(restarted.status("unknown").orElse(null));
  }
}
