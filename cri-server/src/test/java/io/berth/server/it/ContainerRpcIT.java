package io.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerFilter;
import io.berth.cri.v1.ContainerMetadata;
import io.berth.cri.v1.ContainerState;
import io.berth.cri.v1.ContainerStateValue;
import io.berth.cri.v1.ContainerStatus;
import io.berth.cri.v1.ContainerStatusRequest;
import io.berth.cri.v1.CreateContainerRequest;
import io.berth.cri.v1.ExecSyncRequest;
import io.berth.cri.v1.ExecSyncResponse;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.KeyValue;
import io.berth.cri.v1.LinuxContainerConfig;
import io.berth.cri.v1.LinuxContainerResources;
import io.berth.cri.v1.LinuxPodSandboxConfig;
import io.berth.cri.v1.LinuxSandboxSecurityContext;
import io.berth.cri.v1.ListContainersRequest;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.NamespaceOption;
import io.berth.cri.v1.PodSandbox;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxMetadata;
import io.berth.cri.v1.PullImageRequest;
import io.berth.cri.v1.RemoveContainerRequest;
import io.berth.cri.v1.RemovePodSandboxRequest;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.cri.v1.RuntimeServiceGrpc.RuntimeServiceBlockingStub;
import io.berth.cri.v1.StartContainerRequest;
import io.berth.cri.v1.StopContainerRequest;
import io.berth.cri.v1.StopPodSandboxRequest;
import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.PushedImages;
import io.berth.testing.RegistryFixture;
import io.berth.testing.RequiresHost;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers through berthd's socket as kubelet drives them: the busybox image pulled from the
 * test registry, pods on a real CNI bridge, crun and runc, and a SIGKILLed berthd.
 */
@ExtendWith(BerthExtension.class)
@RequiresHost({Requirement.ROOT, Requirement.CRUN, Requirement.RUNC, Requirement.BERTH_MONITOR, Requirement.CNI_PLUGINS,
    Requirement.HUGETLB_V1, Requirement.DOCKER_REGISTRY})
class ContainerRpcIT {
  @TempDir static Path tmp;
  /** While this file exists, the flaky-delete handler's delete fails. */
  private static final Path REFUSE_DELETE = Path.of(System.getProperty("java.io.tmpdir"),
      "berth-it-refuse-delete-" + ProcessHandle.current().pid());
  private static CniTestNetwork network;
  private static BerthdProcess berthd;

  @BeforeAll
  static void start(RegistryFixture registry) throws Exception {
    network = new CniTestNetwork(tmp, "berth-ctr-test", "berthctr0", "10.213.79.");
    // crun, slowed down where berth defers work: a container's delete runs after RemoveContainer replied.
    Path slowDelete = tmp.resolve("slow-delete-crun");
    Files.writeString(slowDelete, "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = delete ] && sleep 1 && break; done\n"
        + "exec crun \"$@\"\n");
    Files.setPosixFilePermissions(slowDelete, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    // crun whose delete fails while a flag file exists: a cleanup that keeps failing.
    Path flakyDelete = tmp.resolve("flaky-delete-crun");
    Files.writeString(flakyDelete, "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = delete ] && [ -e " + REFUSE_DELETE
        + " ] && { echo 'simulated: delete refused' >&2; exit 1; }; done\nexec crun \"$@\"\n");
    Files.setPosixFilePermissions(flakyDelete, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    berthd = BerthdProcess.builder().registry(registry)
        .extraToml(network.toml() + "\n[runtime.handlers.slow-delete]\npath = \"" + slowDelete + "\"\n"
            + "[runtime.handlers.flaky-delete]\npath = \"" + flakyDelete + "\"\n").start();
    berthd.images().pullImage(PullImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(PushedImages.BUSYBOX)).build());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berthd != null) {
        berthd.close();
      }
    } finally {
      network.close();
    }
  }

  @AfterEach
  void removeAllPods() {
    RuntimeServiceBlockingStub rt = berthd.runtime();
    for (PodSandbox p : rt.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
      rt.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
      rt.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
    }
    assertEquals(0, rt.listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount(),
        "RemovePodSandbox removes the pod's containers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"crun", "runc"})
  void runsLogsAndReportsExitCodes(String handler) throws Exception {
    String pod = runPod("exit-" + handler, handler, NamespaceMode.CONTAINER);
    String ok = startContainer(pod, container("ok", "sh", "-c", "echo out; echo err >&2; echo $GREETING $(pwd)")
        .addEnvs(KeyValue.newBuilder().setKey("GREETING").setValue(com.google.protobuf.ByteString.copyFromUtf8("hi"))).setWorkingDir("/tmp"));
    String three = startContainer(pod, container("three", "sh", "-c", "exit 3"));
    ContainerStatus okStatus = waitExited(ok);
    ContainerStatus threeStatus = waitExited(three);

    assertEquals(0, okStatus.getExitCode());
    assertEquals("Completed", okStatus.getReason());
    assertEquals(3, threeStatus.getExitCode());
    assertEquals("Error", threeStatus.getReason());
    assertTrue(okStatus.getFinishedAt() >= okStatus.getStartedAt() && okStatus.getStartedAt() >= okStatus.getCreatedAt());

    List<String> lines = Files.readAllLines(Path.of(okStatus.getLogPath()));
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.matches("\\S+ stdout F out")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.matches("\\S+ stderr F err")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(" stdout F hi /tmp")), lines.toString());
    assertTrue(okStatus.getImageRef().contains("@sha256:"), okStatus.getImageRef());
  }

  @Test
  void terminationMessageComesFromTheFileKubeletMounts() throws Exception {
    String pod = runPod("msg", "", NamespaceMode.CONTAINER);
    Path hostFile = Files.createFile(tmp.resolve("termination-log-" + UUID.randomUUID()));
    ContainerConfig.Builder c = container("dying", "sh", "-c", "echo 'disk full' > /dev/termination-log; exit 1")
        .putAnnotations("io.kubernetes.container.terminationMessagePath", "/dev/termination-log")
        .addMounts(io.berth.cri.v1.Mount.newBuilder().setHostPath(hostFile.toString()).setContainerPath("/dev/termination-log"));
    ContainerStatus s = waitExited(startContainer(pod, c));
    assertEquals(1, s.getExitCode());
    assertEquals("disk full\n", s.getMessage());
    assertEquals("/dev/termination-log", s.getMounts(0).getContainerPath());
  }

  @Test
  void execSyncReturnsOutputAndExitCodeAndTimesOut() {
    String pod = runPod("exec", "", NamespaceMode.CONTAINER);
    String id = startContainer(pod, container("sleeper", "sleep", "3600"));
    ExecSyncResponse r = berthd.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addCmd("sh").addCmd("-c").addCmd("echo hello; echo oops >&2; exit 4").setTimeout(10).build());
    assertEquals("hello\n", r.getStdout().toString(StandardCharsets.UTF_8));
    assertEquals("oops\n", r.getStderr().toString(StandardCharsets.UTF_8));
    assertEquals(4, r.getExitCode());

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> berthd.runtime().execSync(
        ExecSyncRequest.newBuilder().setContainerId(id).addCmd("sleep").addCmd("30").setTimeout(1).build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    // the timed-out process is gone
    ExecSyncResponse ps = berthd.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addCmd("sh").addCmd("-c").addCmd("ps -o comm | grep -c '^sleep$'").setTimeout(10).build());
    assertEquals("1", ps.getStdout().toString(StandardCharsets.UTF_8).strip(), "only the container's own sleep");
  }

  @Test
  void statsComeFromTheContainersCgroupAndWritableLayer() {
    String pod = runPod("stats", "", NamespaceMode.CONTAINER);
    String busy = startContainer(pod, container("busy", "sh", "-c",
        "head -c 3000000 /dev/zero > /tmp/blob; i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 3600")
        .putLabels("role", "busy"));
    String idle = startContainer(pod, container("idle", "sleep", "3600"));
    exec(busy, "sh", "-c", "while [ ! -f /tmp/blob ]; do sleep 0.1; done");
    io.berth.cri.v1.ContainerStats s = berthd.runtime().containerStats(io.berth.cri.v1.ContainerStatsRequest.newBuilder()
        .setContainerId(busy).build()).getStats();
    assertEquals(busy, s.getAttributes().getId());
    assertTrue(s.getCpu().getTimestamp() > 0 && s.getCpu().getUsageCoreNanoSeconds().getValue() > 0, s.toString());
    assertTrue(s.getMemory().getWorkingSetBytes().getValue() > 0, s.toString());
    assertTrue(s.getWritableLayer().getUsedBytes().getValue() >= 3_000_000, "the file written in the container: " + s);
    List<io.berth.cri.v1.ContainerStats> byLabel = berthd.runtime().listContainerStats(
        io.berth.cri.v1.ListContainerStatsRequest.newBuilder().setFilter(io.berth.cri.v1.ContainerStatsFilter.newBuilder()
            .putLabelSelector("role", "busy")).build()).getStatsList();
    assertEquals(List.of(busy), byLabel.stream().map(x -> x.getAttributes().getId()).toList());
    assertEquals(2, berthd.runtime().listContainerStats(io.berth.cri.v1.ListContainerStatsRequest.newBuilder()
        .setFilter(io.berth.cri.v1.ContainerStatsFilter.newBuilder().setPodSandboxId(pod)).build()).getStatsCount());
    assertTrue(idle.length() == 64);
  }

  @Test
  void stopKillsAContainerThatIgnoresSigterm() {
    String pod = runPod("stubborn", "", NamespaceMode.CONTAINER);
    String id = startContainer(pod, container("stubborn", "sh", "-c", "trap '' TERM; while true; do sleep 1; done"));
    berthd.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(1).build());
    ContainerStatus s = status(id);
    assertEquals(ContainerState.CONTAINER_EXITED, s.getState());
    assertEquals(137, s.getExitCode(), "SIGKILL after the timeout");
    // stop and remove are idempotent
    berthd.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(1).build());
    berthd.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
    berthd.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> status(id));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void memoryLimitKillIsReportedAsOomKilled() {
    String pod = runPod("oom", "", NamespaceMode.CONTAINER);
    ContainerConfig.Builder c = container("hog", "sh", "-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived");
    c.setLinux(LinuxContainerConfig.newBuilder().setResources(LinuxContainerResources.newBuilder()
        .setMemoryLimitInBytes(16L << 20)));
    ContainerStatus s = waitExited(startContainer(pod, c));
    assertEquals("OOMKilled", s.getReason(), s.toString());
    assertEquals(137, s.getExitCode());
  }

  @Test
  void containersInTheSamePodShareItsNetworkAndPidNamespace() {
    String pod = runPod("shared", "", NamespaceMode.POD);
    String a = startContainer(pod, container("a", "sleep", "3600"));
    String b = startContainer(pod, container("b", "sh", "-c", "sleep 3601"));
    ExecSyncResponse ps = berthd.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(a)
        .addCmd("ps").addCmd("-o").addCmd("args").setTimeout(10).build());
    String out = ps.getStdout().toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("sleep 3601") && out.contains("catatonit"), "one PID namespace for the pod:\n" + out);
    String ipA = exec(a, "sh", "-c", "ip -o -4 addr show eth0 | awk '{print $4}'");
    String ipB = exec(b, "sh", "-c", "ip -o -4 addr show eth0 | awk '{print $4}'");
    assertEquals(ipA, ipB);
    assertTrue(ipA.startsWith(network.subnetPrefix), ipA);
  }

  @Test
  void aContainerInOnePodReachesAServerInAnother() {
    String serverPod = runPod("web", "", NamespaceMode.CONTAINER);
    String clientPod = runPod("client", "", NamespaceMode.CONTAINER);
    String server = startContainer(serverPod, container("httpd", "sh", "-c",
        "mkdir -p /tmp/www && echo hello-from-web > /tmp/www/hello && exec httpd -f -p 8080 -h /tmp/www"));
    String client = startContainer(clientPod, container("client", "sleep", "3600"));
    String serverIp = berthd.runtime().podSandboxStatus(io.berth.cri.v1.PodSandboxStatusRequest.newBuilder()
        .setPodSandboxId(serverPod).build()).getStatus().getNetwork().getIp();
    assertTrue(serverIp.startsWith(network.subnetPrefix), serverIp);
    // the server may need a moment to listen; wget retries inside the container, bounded
    // (busybox nc, not wget: the test image carries no NSS modules, which busybox's wget needs)
    String reply = exec(client, "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do printf 'GET /hello HTTP/1.0\\r\\n\\r\\n'"
        + " | nc -w 2 " + serverIp + " 8080 > /tmp/reply && grep -q hello-from-web /tmp/reply && cat /tmp/reply && exit 0;"
        + " sleep 0.3; done; cat /tmp/reply; exit 1");
    assertTrue(reply.startsWith("HTTP/1.") && reply.endsWith("hello-from-web"), reply);
    assertTrue(server.length() == 64);
  }

  @Test
  void badRequestsNameTheField() {
    String pod = runPod("bad", "", NamespaceMode.CONTAINER);
    StatusRuntimeException noImage = assertThrows(StatusRuntimeException.class, () -> berthd.runtime().createContainer(
        CreateContainerRequest.newBuilder().setPodSandboxId(pod).setConfig(ContainerConfig.newBuilder()
            .setMetadata(ContainerMetadata.newBuilder().setName("x"))).setSandboxConfig(podConfig("bad", "", NamespaceMode.CONTAINER)).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, noImage.getStatus().getCode());
    assertTrue(noImage.getStatus().getDescription().contains("image"), noImage.getStatus().getDescription());

    StatusRuntimeException unknownImage = assertThrows(StatusRuntimeException.class, () -> berthd.runtime().createContainer(
        CreateContainerRequest.newBuilder().setPodSandboxId(pod).setConfig(container("x", "true")
            .setImage(ImageSpec.newBuilder().setImage("docker.io/library/never-pulled:1"))).build()));
    assertEquals(Status.Code.NOT_FOUND, unknownImage.getStatus().getCode());

    StatusRuntimeException noPod = assertThrows(StatusRuntimeException.class, () -> berthd.runtime().createContainer(
        CreateContainerRequest.newBuilder().setPodSandboxId("feedface").setConfig(container("x", "true")).build()));
    assertEquals(Status.Code.NOT_FOUND, noPod.getStatus().getCode());

    berthd.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod).setConfig(container("dup", "true")).build());
    StatusRuntimeException dup = assertThrows(StatusRuntimeException.class, () -> berthd.runtime().createContainer(
        CreateContainerRequest.newBuilder().setPodSandboxId(pod).setConfig(container("dup", "true")).build()));
    assertEquals(Status.Code.ALREADY_EXISTS, dup.getStatus().getCode());
    assertEquals(1, berthd.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
  }

  @Test
  void tenContainersKeepRunningThroughASigkilledBerthd() throws Exception {
    String pod = runPod("restart", "", NamespaceMode.CONTAINER);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(startContainer(pod, container("c" + i, "sleep", "3600")));
    }
    String quitter = startContainer(pod, container("quitter", "sh", "-c", "sleep 2; exit 5"));
    String ticker = startContainer(pod, container("ticker", "sh", "-c", "while true; do echo tick; sleep 0.2; done"));
    Path tickLog = Path.of(status(ticker).getLogPath());
    List<ContainerStatus> before = new ArrayList<>();
    for (String id : ids) {
      before.add(status(id));
    }

    berthd.kill();
    Thread.sleep(3000); // the quitter exits while no berthd runs
    berthd.start();

    for (int i = 0; i < ids.size(); i++) {
      ContainerStatus after = status(ids.get(i));
      assertEquals(ContainerState.CONTAINER_RUNNING, after.getState(), ids.get(i));
      assertEquals(before.get(i).getStartedAt(), after.getStartedAt());
      assertEquals(before.get(i).getCreatedAt(), after.getCreatedAt());
    }
    ContainerStatus q = waitExited(quitter);
    assertEquals(5, q.getExitCode());
    assertEquals(12, berthd.runtime().listContainers(ListContainersRequest.newBuilder()
        .setFilter(ContainerFilter.newBuilder().setPodSandboxId(pod)).build()).getContainersCount());
    assertEquals(11, berthd.runtime().listContainers(ListContainersRequest.newBuilder()
        .setFilter(ContainerFilter.newBuilder().setState(ContainerStateValue.newBuilder()
            .setState(ContainerState.CONTAINER_RUNNING))).build()).getContainersCount());
    // the monitors kept the containers' output flowing into their logs through the crash and after it
    long linesAfterRestart = Files.readAllLines(tickLog).size();
    Thread.sleep(1000);
    assertTrue(Files.readAllLines(tickLog).size() > linesAfterRestart, "log still growing after the restart");
    assertTrue(Files.readAllLines(tickLog).stream().allMatch(l -> l.matches("\\S+ stdout F tick")));
    assertEquals("still here", exec(ids.get(0), "echo", "still here"));
  }

  @Test
  void removedContainersHaveLeftTheHostWhenTheirPodIsRemoved() throws Exception {
    // RemoveContainer replies once the container is gone from the state and cleans the host up in
    // the background; RemovePodSandbox must not return before that cleanup is done (here each
    // container's runtime delete takes a second).
    String pod = runPod("cleanup", "slow-delete", NamespaceMode.CONTAINER);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(startContainer(pod, container("c" + i, "sleep", "3600")));
    }
    for (String id : ids) {
      berthd.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
      StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> status(id));
      assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode(), "removed at once for every RPC");
    }
    berthd.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
    for (String id : ids) {
      assertLeftTheHost(id);
    }
  }

  @Test
  void aPodWhoseContainerCleanupKeepsFailingIsNotRemovedUntilItSucceeds() throws Exception {
    String pod = runPod("flaky", "flaky-delete", NamespaceMode.CONTAINER);
    String id = startContainer(pod, container("c", "sleep", "3600"));
    Files.createFile(REFUSE_DELETE);
    try {
      berthd.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
      assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> status(id))
          .getStatus().getCode(), "gone for every RPC although its cleanup fails");
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> berthd.runtime()
          .removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod).build()));
      assertTrue(refused.getStatus().getDescription().contains(id)
          && refused.getStatus().getDescription().contains("simulated: delete refused"), refused.getStatus().toString());
      assertEquals(1, berthd.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()
          .stream().filter(p -> p.getId().equals(pod)).count(), "the pod stays while its container is not cleaned up");
    } finally {
      Files.deleteIfExists(REFUSE_DELETE);
    }
    // kubelet retries RemovePodSandbox; that retries the cleanup, which now succeeds.
    berthd.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
    assertLeftTheHost(id);
  }

  @Test
  void aContainerWhoseMetadataAPowerLossEmptiedIsRemovedAtRestartWithItsFile() throws Exception {
    String pod = runPod("emptied", "", NamespaceMode.CONTAINER);
    String id = startContainer(pod, container("c", "sleep", "3600"));
    Path metadata = berthd.rootDir().resolve("cri-containers").resolve(id + ".json");
    assertTrue(Files.exists(metadata));
    berthd.kill();
    Files.write(metadata, new byte[0]); // what a power loss can leave of a file written without fsync
    berthd.start();

    assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> status(id))
        .getStatus().getCode());
    for (int i = 0; i < 100 && Files.exists(metadata); i++) {
      Thread.sleep(100); // the file goes once the container's host cleanup is done
    }
    assertFalse(Files.exists(metadata), "the unreadable metadata file is removed with the container");
    assertLeftTheHost(id);
  }

  // ------------------------------------------------------------------ helpers

  /** Nothing of container {@code id} is left: no mount, directory, runtime state or cgroup. */
  private static void assertLeftTheHost(String id) throws Exception {
    assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().noneMatch(l -> l.contains(id)),
        "rootfs of " + id + " unmounted");
    Path cgroups = Files.isDirectory(Path.of("/sys/fs/cgroup/pids")) ? Path.of("/sys/fs/cgroup/pids") : Path.of("/sys/fs/cgroup");
    try (var paths = Files.walk(berthd.rootDir()); var state = Files.walk(berthd.stateDir());
        var groups = Files.find(cgroups, 6, (p, a) -> a.isDirectory() && p.getFileName().toString().contains(id))) {
      assertTrue(paths.noneMatch(p -> p.getFileName().toString().equals(id)), "directory of " + id + " deleted");
      assertTrue(state.noneMatch(p -> p.getFileName().toString().equals(id)), "runtime state of " + id + " deleted");
      assertEquals(List.of(), groups.toList(), "cgroup of " + id + " deleted");
    }
  }

  private static String runPod(String name, String handler, NamespaceMode pid) {
    return berthd.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(podConfig(name, handler, pid))
        .setRuntimeHandler(handler).build()).getPodSandboxId();
  }

  private static PodSandboxConfig podConfig(String name, String handler, NamespaceMode pid) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("berth-it").setUid(UUID.randomUUID().toString()))
        .setLogDirectory(tmp.resolve("logs").resolve(name).toString())
        .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setPid(pid))))
        .build();
  }

  private static ContainerConfig.Builder container(String name, String... command) {
    ContainerConfig.Builder b = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(PushedImages.BUSYBOX))
        .setLogPath(name + ".log");
    for (String c : command) {
      b.addCommand(c);
    }
    return b;
  }

  private static String startContainer(String pod, ContainerConfig.Builder config) {
    String id = berthd.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
        .setConfig(config).build()).getContainerId();
    berthd.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  private static ContainerStatus status(String id) {
    return berthd.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build()).getStatus();
  }

  /** Polls (kubelet does the same through PLEG); bounded so a hang fails rather than blocks. */
  private static ContainerStatus waitExited(String id) {
    for (int i = 0; i < 300; i++) {
      ContainerStatus s = status(id);
      if (s.getState() == ContainerState.CONTAINER_EXITED) {
        return s;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("container " + id + " did not exit: " + status(id));
  }

  private static String exec(String id, String... cmd) {
    ExecSyncRequest.Builder b = ExecSyncRequest.newBuilder().setContainerId(id).setTimeout(10);
    for (String c : cmd) {
      b.addCmd(c);
    }
    ExecSyncResponse r = berthd.runtime().execSync(b.build());
    assertEquals(0, r.getExitCode(), r.getStderr().toString(StandardCharsets.UTF_8));
    return r.getStdout().toString(StandardCharsets.UTF_8).strip();
  }
}
