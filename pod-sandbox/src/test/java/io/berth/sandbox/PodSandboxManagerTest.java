package io.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.berth.cri.v1.LinuxPodSandboxConfig;
import io.berth.cri.v1.LinuxSandboxSecurityContext;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.NamespaceOption;
import io.berth.cri.v1.PodSandbox;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxFilter;
import io.berth.cri.v1.PodSandboxMetadata;
import io.berth.cri.v1.PodSandboxState;
import io.berth.cri.v1.PodSandboxStateValue;
import io.berth.cri.v1.PodSandboxStatusRequest;
import io.berth.cri.v1.PodSandboxStatusResponse;
import io.berth.cri.v1.RemovePodSandboxRequest;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.cri.v1.StopPodSandboxRequest;
import io.berth.sandbox.cni.NetworkStatus;
import io.berth.sandbox.cni.PodNetwork;
import io.berth.sandbox.cni.PodNetworkRequest;
import io.berth.sandbox.files.PodFiles;
import io.berth.sandbox.files.ShmMounter;
import io.berth.sandbox.ns.NamespaceKind;
import io.berth.sandbox.ns.NamespacePinner;
import io.berth.sandbox.ns.PodNamespaces;
import io.berth.sandbox.ns.Sysctl;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle rules, over recording fakes of the host (no root needed). */
class PodSandboxManagerTest {
  @TempDir Path dir;

  /** Pins are plain files; "pinned" means the file exists. */
  final class FakePinner implements NamespacePinner {
    final List<String> sysctlsApplied = Collections.synchronizedList(new ArrayList<>());

    @Override
    public PodNamespaces pin(String id, Set<NamespaceKind> kinds, String hostname, List<Sysctl> sysctls)
        throws IOException {
      Map<NamespaceKind, Path> pins = new EnumMap<>(NamespaceKind.class);
      for (NamespaceKind k : kinds) {
        Path p = pinPath(id, k);
        Files.createDirectories(p.getParent());
        Files.writeString(p, k == NamespaceKind.UTS ? hostname : "");
        pins.put(k, p);
      }
      sysctls.forEach(s -> sysctlsApplied.add(id + ":" + s.name()));
      return new PodNamespaces(pins);
    }

    @Override
    public void applySysctls(PodNamespaces namespaces, List<Sysctl> sysctls) {
      sysctls.forEach(s -> sysctlsApplied.add("after-network:" + s.name()));
    }

    @Override
    public Path pinPath(String id, NamespaceKind kind) {
      return dir.resolve("state/pins").resolve(id).resolve(kind.fileName());
    }

    @Override
    public boolean isPinned(Path pin) {
      return Files.exists(pin);
    }

    @Override
    public void unpin(String id) throws IOException {
      for (NamespaceKind k : NamespaceKind.values()) {
        Files.deleteIfExists(pinPath(id, k));
      }
      Files.deleteIfExists(dir.resolve("state/pins").resolve(id));
    }
  }

  /** Hands out 10.0.0.N; remembers which sandboxes hold an address. */
  static final class FakeNetwork implements PodNetwork {
    final Map<String, String> attached = new ConcurrentHashMap<>();
    final List<String> teardowns = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger next = new AtomicInteger(1);
    volatile NetworkStatus status = NetworkStatus.ok();
    volatile boolean failSetUp;
    volatile boolean failTearDown;

    @Override
    public NetworkStatus status() {
      return status;
    }

    @Override
    public Attachment setUp(PodNetworkRequest r) throws IOException {
      if (failSetUp) {
        throw new IOException("plugin exploded");
      }
      String ip = "10.0.0." + next.getAndIncrement();
      attached.put(r.sandboxId(), ip);
      return new Attachment(List.of(ip), JsonNodeFactory.instance.objectNode().put("ip", ip));
    }

    @Override
    public void check(String id, String netns) {}

    @Override
    public void tearDown(String id, String netns) throws IOException {
      if (failTearDown) {
        throw new IOException("DEL failed");
      }
      teardowns.add(id);
      attached.remove(id);
    }

    @Override
    public Optional<JsonNode> cachedResult(String id) {
      return Optional.ofNullable(attached.get(id)).map(ip -> JsonNodeFactory.instance.objectNode().put("ip", ip));
    }
  }

  static final class FakeShm implements ShmMounter {
    final Set<Path> mounted = ConcurrentHashMap.newKeySet();

    @Override
    public void mount(Path d, long size) throws IOException {
      Files.createDirectories(d);
      mounted.add(d);
    }

    @Override
    public void unmount(Path d) throws IOException {
      mounted.remove(d);
      Files.deleteIfExists(d);
    }
  }

  /** Records calls so the test can see stop/remove reached the containers. */
  static final class RecordingContainers implements PodContainers {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void stopAll(String id) {
      calls.add("stop:" + id);
    }

    @Override
    public void removeAll(String id) {
      calls.add("remove:" + id);
    }
  }

  final FakePinner pinner = new FakePinner();
  final FakeNetwork network = new FakeNetwork();
  final FakeShm shm = new FakeShm();
  final RecordingContainers containers = new RecordingContainers();

  PodSandboxManager manager() throws IOException {
    Path hostResolv = dir.resolve("host-resolv.conf");
    if (!Files.exists(hostResolv)) {
      Files.writeString(hostResolv, "nameserver 192.0.2.1\n");
    }
    SandboxManagerConfig config = SandboxManagerConfig.of(dir.resolve("root"), dir.resolve("state"),
        dir.resolve("net.d"), List.of()).withHostFiles(hostResolv, dir.resolve("no-hosts"));
    PodFiles files = new PodFiles(config.hostResolvConf(), config.hostHosts());
    return new PodSandboxManager(config, Set.of("runc", "crun"), containers, PodInfraProcess.unavailable(),
        new SandboxHost(pinner, network, shm, files, () -> { }));
  }

  static PodSandboxConfig.Builder pod(String name) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("default").setUid("uid-" + name))
        .setHostname(name)
        .putLabels("app", name)
        .putAnnotations("a", "b")
        .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))));
  }

  static RunPodSandboxRequest run(PodSandboxConfig.Builder config) {
    return RunPodSandboxRequest.newBuilder().setConfig(config).build();
  }

  static PodSandboxStatusResponse status(PodSandboxManager m, String id, boolean verbose) {
    return m.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).setVerbose(verbose).build());
  }

  @Test
  void runCreatesAReadySandboxWithItsFiles() throws Exception {
    PodSandboxManager m = manager();
    String id = m.runPodSandbox(run(pod("web").setLinux(pod("web").getLinux().toBuilder()
        .putSysctls("kernel.shm_rmid_forced", "1")
        .putSysctls("net.ipv4.conf.eth0.rp_filter", "2")))).getPodSandboxId();
    assertEquals(64, id.length());

    PodSandboxStatusResponse st = status(m, id, true);
    assertEquals(PodSandboxState.SANDBOX_READY, st.getStatus().getState());
    assertEquals("10.0.0.1", st.getStatus().getNetwork().getIp());
    assertEquals("web", st.getStatus().getMetadata().getName());
    assertEquals(Map.of("app", "web"), st.getStatus().getLabelsMap());
    assertEquals(Map.of("a", "b"), st.getStatus().getAnnotationsMap());
    assertTrue(st.getStatus().getCreatedAt() > 0);
    assertEquals(NamespaceMode.CONTAINER, st.getStatus().getLinux().getNamespaces().getOptions().getPid());
    JsonNode info = new ObjectMapper().readTree(st.getInfoOrThrow("info"));
    assertEquals(pinner.pinPath(id, NamespaceKind.NET).toString(), info.get("namespaces").get("net").asText());
    assertEquals("10.0.0.1", info.get("cniResult").get("ip").asText());
    assertEquals("web", info.get("config").get("metadata").get("name").asText());

    assertEquals(List.of(id + ":kernel.shm_rmid_forced", "after-network:net.ipv4.conf.eth0.rp_filter"),
        pinner.sysctlsApplied);
    Path files = Path.of(info.get("files").get("hosts").asText()).getParent();
    assertTrue(Files.readString(files.resolve("hosts")).contains("10.0.0.1\tweb\n"));
    assertEquals("nameserver 192.0.2.1\n", Files.readString(files.resolve("resolv.conf")));
    assertEquals("web\n", Files.readString(files.resolve("hostname")));
    assertEquals(1, shm.mounted.size());
    assertTrue(Files.exists(pinner.pinPath(id, NamespaceKind.IPC)));
  }

  @Test
  void sameMetadataWhileTheFirstExistsIsAlreadyExistsNamingIt() throws Exception {
    PodSandboxManager m = manager();
    String id = m.runPodSandbox(run(pod("web"))).getPodSandboxId();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> m.runPodSandbox(run(pod("web"))));
    assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains(id), e.getMessage());

    PodSandboxConfig.Builder nextAttempt = pod("web");
    nextAttempt.getMetadataBuilder().setAttempt(1);
    String second = m.runPodSandbox(run(nextAttempt)).getPodSandboxId();
    m.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    m.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    String third = m.runPodSandbox(run(pod("web"))).getPodSandboxId();
    assertFalse(third.equals(id) || third.equals(second));
  }

  @Test
  void refusesBadRequestsNamingTheField() throws Exception {
    PodSandboxManager m = manager();
    assertStatus(Status.Code.INVALID_ARGUMENT, "runtime_handler",
        () -> m.runPodSandbox(run(pod("a")).toBuilder().setRuntimeHandler("kata").build()));
    assertStatus(Status.Code.INVALID_ARGUMENT, "config.metadata.name",
        () -> m.runPodSandbox(run(pod("").setMetadata(PodSandboxMetadata.newBuilder().setNamespace("d").setUid("u")))));
    assertStatus(Status.Code.INVALID_ARGUMENT, "vm.swappiness",
        () -> m.runPodSandbox(run(pod("b").setLinux(pod("b").getLinux().toBuilder().putSysctls("vm.swappiness", "1")))));
    assertStatus(Status.Code.INVALID_ARGUMENT, "config.hostname",
        () -> m.runPodSandbox(run(pod("c").setHostname("bad host"))));
    assertStatus(Status.Code.INVALID_ARGUMENT, "config.port_mappings[0].host_port",
        () -> m.runPodSandbox(run(pod("d").addPortMappings(io.berth.cri.v1.PortMapping.newBuilder()
            .setContainerPort(80).setHostPort(70000)))));
    assertStatus(Status.Code.INVALID_ARGUMENT, "config.port_mappings[0].host_ip",
        () -> m.runPodSandbox(run(pod("e").addPortMappings(io.berth.cri.v1.PortMapping.newBuilder()
            .setContainerPort(80).setHostPort(8080).setHostIp("example.com")))));
    PodSandboxConfig.Builder sharedPid = pod("f");
    sharedPid.getLinuxBuilder().getSecurityContextBuilder().getNamespaceOptionsBuilder().setPid(NamespaceMode.POD);
    assertStatus(Status.Code.UNIMPLEMENTED, "namespace_options.pid", () -> m.runPodSandbox(run(sharedPid)));
    assertStatus(Status.Code.INVALID_ARGUMENT, "pod_sandbox_id",
        () -> m.stopPodSandbox(StopPodSandboxRequest.getDefaultInstance()));
    assertEquals(0, m.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount(),
        "nothing was created by refused requests");
  }

  @Test
  void podNetworkNotReadyRefusesPodsButNotHostNetworkPods() throws Exception {
    PodSandboxManager m = manager();
    network.status = NetworkStatus.notReady("cni config uninitialized: no network config found in /x");
    assertStatus(Status.Code.FAILED_PRECONDITION, "/x", () -> m.runPodSandbox(run(pod("a"))));
    assertFalse(m.networkReadyCondition().getStatus());
    assertEquals("NetworkReady", m.networkReadyCondition().getType());

    PodSandboxConfig.Builder host = pod("h").setHostname("");
    host.getLinuxBuilder().getSecurityContextBuilder().getNamespaceOptionsBuilder()
        .setNetwork(NamespaceMode.NODE).setIpc(NamespaceMode.NODE);
    String id = m.runPodSandbox(run(host)).getPodSandboxId();
    PodSandboxStatusResponse st = status(m, id, true);
    assertEquals(PodSandboxState.SANDBOX_READY, st.getStatus().getState());
    assertFalse(st.getStatus().hasNetwork());
    assertTrue(network.attached.isEmpty());
    assertFalse(Files.exists(pinner.pinPath(id, NamespaceKind.NET)));
    assertFalse(Files.exists(pinner.pinPath(id, NamespaceKind.UTS)), "host network keeps the host's UTS");
    assertFalse(Files.exists(pinner.pinPath(id, NamespaceKind.IPC)));
    assertTrue(shm.mounted.isEmpty(), "host IPC uses the host's /dev/shm");
  }

  @Test
  void stopAndRemoveAreIdempotentAndCleanEverything() throws Exception {
    PodSandboxManager m = manager();
    String id = m.runPodSandbox(run(pod("web"))).getPodSandboxId();
    StopPodSandboxRequest stop = StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build();
    m.stopPodSandbox(stop);
    m.stopPodSandbox(stop);
    assertEquals(List.of(id), network.teardowns, "DEL once");
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, status(m, id, false).getStatus().getState());
    assertEquals("10.0.0.1", status(m, id, false).getStatus().getNetwork().getIp(), "record kept after stop");
    assertTrue(Files.exists(pinner.pinPath(id, NamespaceKind.NET)), "netns unpinned only on remove");

    RemovePodSandboxRequest remove = RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build();
    m.removePodSandbox(remove);
    m.removePodSandbox(remove);
    assertEquals(List.of("stop:" + id, "stop:" + id, "remove:" + id), containers.calls);
    assertFalse(Files.exists(dir.resolve("state/pins").resolve(id)));
    assertTrue(shm.mounted.isEmpty());
    assertFalse(Files.exists(dir.resolve("root/sandboxes").resolve(id)));
    assertFalse(Files.exists(dir.resolve("root/sandboxes").resolve(id + ".json")));
    assertStatus(Status.Code.NOT_FOUND, id, () -> status(m, id, false));

    m.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId("doesnotexist").build());
    m.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId("doesnotexist").build());
  }

  @Test
  void failedNetworkTeardownIsRetriedByTheNextStop() throws Exception {
    PodSandboxManager m = manager();
    String id = m.runPodSandbox(run(pod("web"))).getPodSandboxId();
    network.failTearDown = true;
    StopPodSandboxRequest stop = StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build();
    assertStatus(Status.Code.INTERNAL, "DEL failed", () -> m.stopPodSandbox(stop));
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, status(m, id, false).getStatus().getState());
    network.failTearDown = false;
    m.stopPodSandbox(stop);
    assertEquals(List.of(id), network.teardowns);
  }

  @Test
  void removeWithoutStopStillTearsDownTheNetwork() throws Exception {
    PodSandboxManager m = manager();
    String id = m.runPodSandbox(run(pod("web"))).getPodSandboxId();
    m.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    assertEquals(List.of(id), network.teardowns);
    assertTrue(network.attached.isEmpty());
  }

  @Test
  void aFailedRunLeavesNothingAndFreesTheName() throws Exception {
    PodSandboxManager m = manager();
    network.failSetUp = true;
    assertStatus(Status.Code.INTERNAL, "plugin exploded", () -> m.runPodSandbox(run(pod("web"))));
    assertEquals(0, m.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());
    try (var s = Files.list(dir.resolve("state/pins"))) {
      assertEquals(0, s.count(), "no pin left");
    }
    assertTrue(shm.mounted.isEmpty());
    network.failSetUp = false;
    m.runPodSandbox(run(pod("web")));
  }

  @Test
  void listFiltersByIdPrefixStateAndLabels() throws Exception {
    PodSandboxManager m = manager();
    String a = m.runPodSandbox(run(pod("a"))).getPodSandboxId();
    String b = m.runPodSandbox(run(pod("b"))).getPodSandboxId();
    m.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(b).build());

    assertEquals(List.of(a, b), ids(m, PodSandboxFilter.getDefaultInstance()));
    assertEquals(List.of(a), ids(m, PodSandboxFilter.newBuilder().setId(a.substring(0, 10)).build()));
    assertEquals(List.of(b), ids(m, PodSandboxFilter.newBuilder()
        .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_NOTREADY)).build()));
    assertEquals(List.of(b), ids(m, PodSandboxFilter.newBuilder().putLabelSelector("app", "b").build()));
    assertEquals(List.of(), ids(m, PodSandboxFilter.newBuilder().putLabelSelector("app", "b")
        .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY)).build()));

    PodSandbox item = m.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItems(0);
    assertEquals("a", item.getMetadata().getName());
    assertEquals(Map.of("a", "b"), item.getAnnotationsMap());
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, status(m, b.substring(0, 12), false).getStatus().getState(),
        "a unique id prefix resolves");
  }

  @Test
  void aRestartedManagerSeesIdenticalSandboxes() throws Exception {
    PodSandboxManager m = manager();
    String a = m.runPodSandbox(run(pod("a"))).getPodSandboxId();
    String b = m.runPodSandbox(run(pod("b"))).getPodSandboxId();
    m.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(b).build());
    var before = m.listPodSandbox(ListPodSandboxRequest.getDefaultInstance());
    var statusA = status(m, a, false).getStatus();

    PodSandboxManager restarted = manager();
    assertEquals(before, restarted.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()));
    assertEquals(statusA, status(restarted, a, false).getStatus());
    assertStatus(Status.Code.ALREADY_EXISTS, a, () -> restarted.runPodSandbox(run(pod("a"))));

    // A reboot wipes the pins: the sandbox is no longer ready, and it still cleans up.
    pinner.unpin(a);
    PodSandboxManager rebooted = manager();
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, status(rebooted, a, false).getStatus().getState());
    rebooted.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(a).build());
    assertTrue(network.attached.isEmpty() || !network.attached.containsKey(a));
  }

  @Test
  void aSandboxCaughtMidCreationByACrashIsNotReadyAndStillCleansUp() throws Exception {
    PodSandboxManager m = manager();
    String id = m.runPodSandbox(run(pod("web"))).getPodSandboxId();
    // Rewind the record to what a crash between "recorded" and "ready" leaves on disk.
    var store = new io.berth.sandbox.store.SandboxStore(dir.resolve("root/sandboxes"));
    store.update(id, s -> io.berth.sandbox.store.SandboxStatus.creating());

    PodSandboxManager restarted = manager();
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, status(restarted, id, false).getStatus().getState());
    restarted.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    restarted.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    assertEquals(List.of(id), network.teardowns, "the network ADD made before the crash is released");
    assertFalse(Files.exists(pinner.pinPath(id, NamespaceKind.NET)), "pins found by id, not by the record");
    assertTrue(shm.mounted.isEmpty());
  }

  private static List<String> ids(PodSandboxManager m, PodSandboxFilter f) {
    return m.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(f).build()).getItemsList().stream()
        .map(PodSandbox::getId).toList();
  }

  private static void assertStatus(Status.Code code, String mentioned, org.junit.jupiter.api.function.Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getMessage());
    assertTrue(e.getStatus().getDescription().contains(mentioned), e.getStatus().getDescription());
  }
}
