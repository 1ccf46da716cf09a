package io.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.DNSConfig;
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
import io.berth.cri.v1.PodSandboxStatus;
import io.berth.cri.v1.PodSandboxStatusRequest;
import io.berth.cri.v1.PodSandboxStatusResponse;
import io.berth.cri.v1.RemovePodSandboxRequest;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.cri.v1.RuntimeServiceGrpc.RuntimeServiceBlockingStub;
import io.berth.cri.v1.StopPodSandboxRequest;
import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.RequiresHost;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox RPCs through berthd's socket, as kubelet drives them, with Debian's real CNI
 * plugins (bridge, host-local, portmap, loopback; ipMasq off) on a test bridge.
 */
@ExtendWith(BerthExtension.class)
@RequiresHost({Requirement.ROOT, Requirement.CNI_PLUGINS, Requirement.CATATONIT, Requirement.IPTABLES})
class PodSandboxRpcIT {
  private static final String BRIDGE = "berthrpc0";
  private static final String SUBNET_PREFIX = "10.213.78.";

  @TempDir static Path tmp;
  private static CniTestNetwork network;
  private static Path ipamDir;
  private static BerthdProcess berthd;

  @BeforeAll
  static void start() throws IOException {
    network = new CniTestNetwork(tmp, "berth-rpc-test", BRIDGE, SUBNET_PREFIX);
    ipamDir = network.ipamDir;
    berthd = BerthdProcess.builder().extraToml(network.toml()).start();
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
  }

  @Test
  void podGetsAnIpHostnameDnsAndIsListed() throws Exception {
    RuntimeServiceBlockingStub rt = berthd.runtime();
    PodSandboxConfig config = pod("web", NamespaceMode.CONTAINER)
        .setHostname("web-0")
        .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10").addSearches("default.svc.cluster.local").addOptions("ndots:5"))
        .putLabels("app", "web").putAnnotations("note", "kept verbatim")
        .build();
    String id = rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
    assertEquals(64, id.length());

    PodSandboxStatusResponse res = status(id, true);
    PodSandboxStatus s = res.getStatus();
    assertEquals(PodSandboxState.SANDBOX_READY, s.getState());
    assertTrue(s.getNetwork().getIp().startsWith(SUBNET_PREFIX), s.getNetwork().getIp());
    assertEquals("kept verbatim", s.getAnnotationsMap().get("note"));
    assertEquals(config.getMetadata(), s.getMetadata());
    assertTrue(s.getCreatedAt() > 0);
    assertFalse(res.getInfoMap().isEmpty(), "verbose info");

    Path netns = pin(id, "net");
    assertEquals("web-0", run("nsenter", "--uts=" + pin(id, "uts"), "hostname").strip());
    assertTrue(run("nsenter", "--net=" + netns, "ip", "-o", "addr", "show", "eth0").contains(s.getNetwork().getIp()));
    assertTrue(run("nsenter", "--net=" + netns, "ip", "-o", "link", "show", "lo").contains("UP"), "loopback up");

    // Listing and its filters: by label, by state, by id prefix.
    assertEquals(List.of(id), ids(filter(PodSandboxFilter.newBuilder().putLabelSelector("app", "web"))));
    assertEquals(List.of(), ids(filter(PodSandboxFilter.newBuilder().putLabelSelector("app", "db"))));
    assertEquals(List.of(id), ids(filter(PodSandboxFilter.newBuilder().setId(id.substring(0, 12)))));
    assertEquals(List.of(), ids(filter(PodSandboxFilter.newBuilder()
        .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_NOTREADY)))));
  }

  @Test
  void sameMetadataTwiceIsAlreadyExistsNamingTheFirst() {
    RuntimeServiceBlockingStub rt = berthd.runtime();
    PodSandboxConfig config = pod("dup", NamespaceMode.CONTAINER).build();
    String id = rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()));
    assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains(id), e.getStatus().getDescription());
    assertEquals(1, rt.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());
  }

  @Test
  void badRequestsAreRefusedNamingTheFieldAndChangeNothing() {
    RuntimeServiceBlockingStub rt = berthd.runtime();
    StatusRuntimeException handler = assertThrows(StatusRuntimeException.class, () -> rt.runPodSandbox(
        RunPodSandboxRequest.newBuilder().setConfig(pod("h", NamespaceMode.CONTAINER)).setRuntimeHandler("kata").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, handler.getStatus().getCode());
    assertTrue(handler.getStatus().getDescription().contains("runtime_handler"), handler.getStatus().getDescription());

    PodSandboxConfig.Builder sysctl = pod("s", NamespaceMode.CONTAINER);
    sysctl.getLinuxBuilder().putSysctls("kernel.panic", "1");
    StatusRuntimeException sys = assertThrows(StatusRuntimeException.class,
        () -> rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sysctl).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, sys.getStatus().getCode());
    assertTrue(sys.getStatus().getDescription().contains("kernel.panic"), sys.getStatus().getDescription());

    StatusRuntimeException noName = assertThrows(StatusRuntimeException.class, () -> rt.runPodSandbox(
        RunPodSandboxRequest.newBuilder().setConfig(PodSandboxConfig.newBuilder()
            .setMetadata(PodSandboxMetadata.newBuilder().setNamespace("default").setUid("u"))).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, noName.getStatus().getCode());
    assertTrue(noName.getStatus().getDescription().contains("metadata.name"), noName.getStatus().getDescription());

    assertEquals(0, rt.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());
    StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> status("f00d", false));
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    // kubelet retries stop and remove: a missing sandbox is not an error
    rt.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId("f00d").build());
    rt.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId("f00d").build());
  }

  @Test
  void podsReachEachOtherAndSharedPidPodsGetAnInit() throws Exception {
    RuntimeServiceBlockingStub rt = berthd.runtime();
    String a = rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod("a", NamespaceMode.POD)).build()).getPodSandboxId();
    String b = rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod("b", NamespaceMode.CONTAINER)).build()).getPodSandboxId();
    String ipB = status(b, false).getStatus().getNetwork().getIp();
    assertTrue(run("nsenter", "--net=" + pin(a, "net"), "ping", "-c", "1", "-W", "2", ipB).contains("1 received"));

    String info = status(a, true).getInfoMap().toString();
    long infraPid = Long.parseLong(info.replaceAll("(?s).*\"infraPid\"\\s*:\\s*(\\d+).*", "$1"));
    assertEquals("catatonit", Files.readString(Path.of("/proc/" + infraPid + "/comm")).strip());
    assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")),
        Files.readSymbolicLink(Path.of("/proc/" + infraPid + "/ns/pid")), "own PID namespace");
    assertEquals(Files.readSymbolicLink(Path.of("/proc/" + infraPid + "/ns/net")).toString(),
        run("nsenter", "--net=" + pin(a, "net"), "readlink", "/proc/self/ns/net").strip(), "init joined the pod's netns");

    rt.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(a).build());
    assertFalse(Files.exists(Path.of("/proc/" + infraPid + "/comm")) && Files.readString(Path.of("/proc/" + infraPid + "/comm")).contains("catatonit"),
        "init stopped with the pod");
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, status(a, false).getStatus().getState());
  }

  @Test
  void twentyConcurrentPodsGetDistinctIpsAndAllCleanUp() throws Exception {
    RuntimeServiceBlockingStub rt = berthd.runtime();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
    try {
      List<java.util.concurrent.Future<String>> started = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String name = "many-" + i;
        started.add(pool.submit(() -> rt.runPodSandbox(RunPodSandboxRequest.newBuilder()
            .setConfig(pod(name, NamespaceMode.CONTAINER)).build()).getPodSandboxId()));
      }
      List<String> ids = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<String> f : started) {
        ids.add(f.get(120, TimeUnit.SECONDS));
      }
      java.util.Set<String> ips = new java.util.HashSet<>();
      for (String id : ids) {
        String ip = status(id, false).getStatus().getNetwork().getIp();
        assertTrue(ip.startsWith(SUBNET_PREFIX), ip);
        ips.add(ip);
      }
      assertEquals(20, ips.size(), "distinct IPs: " + ips);

      List<java.util.concurrent.Future<?>> removed = new java.util.ArrayList<>();
      for (String id : ids) {
        removed.add(pool.submit(() -> {
          rt.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
          rt.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
        }));
      }
      for (java.util.concurrent.Future<?> f : removed) {
        f.get(120, TimeUnit.SECONDS);
      }
      for (String id : ids) {
        assertFalse(Files.exists(pin(id, "net")), "pin of " + id + " removed");
      }
      try (Stream<Path> leases = Files.list(ipamDir.resolve("berth-rpc-test"))) {
        assertTrue(leases.noneMatch(p -> p.getFileName().toString().startsWith(SUBNET_PREFIX)), "every IP released");
      }
      assertFalse(run("ip", "-o", "link", "show", "master", BRIDGE).contains("veth"), "every veth removed");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void hostNetworkPodSeesTheHostInterfaces() throws Exception {
    RuntimeServiceBlockingStub rt = berthd.runtime();
    PodSandboxConfig.Builder config = pod("hostnet", NamespaceMode.CONTAINER);
    config.getLinuxBuilder().getSecurityContextBuilder().getNamespaceOptionsBuilder().setNetwork(NamespaceMode.NODE);
    String id = rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
    PodSandboxStatus s = status(id, false).getStatus();
    assertEquals(PodSandboxState.SANDBOX_READY, s.getState());
    assertEquals(NamespaceMode.NODE, s.getLinux().getNamespaces().getOptions().getNetwork());
    assertFalse(Files.exists(pin(id, "net")), "no netns pinned for a hostNetwork pod");
  }

  @Test
  void sandboxesSurviveSigkillOfBerthdUnchanged() throws Exception {
    RuntimeServiceBlockingStub rt = berthd.runtime();
    String id = rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod("survivor", NamespaceMode.CONTAINER)).build())
        .getPodSandboxId();
    PodSandboxStatus before = status(id, false).getStatus();

    berthd.kill();
    berthd.start();

    PodSandboxStatus after = status(id, false).getStatus();
    assertEquals(before, after, "same id, IP, state and creation time after restart");
    assertTrue(run("nsenter", "--net=" + pin(id, "net"), "ip", "-o", "addr", "show", "eth0")
        .contains(before.getNetwork().getIp()), "netns pin survived");

    rt = berthd.runtime();
    rt.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    rt.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    assertFalse(Files.exists(pin(id, "net")), "pin removed");
    try (Stream<Path> leases = Files.list(ipamDir.resolve("berth-rpc-test"))) {
      assertTrue(leases.noneMatch(p -> p.getFileName().toString().startsWith(SUBNET_PREFIX)), "IP released");
    }
    assertFalse(run("ip", "-o", "link", "show", "master", BRIDGE).contains("veth"), "veth removed");
  }

  private static PodSandboxConfig.Builder pod(String name, NamespaceMode pid) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("berth-it")
            .setUid(UUID.randomUUID().toString()).setAttempt(0))
        .setLogDirectory(tmp.resolve("logs/" + name).toString())
        .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setPid(pid))));
  }

  private static PodSandboxStatusResponse status(String id, boolean verbose) {
    return berthd.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).setVerbose(verbose).build());
  }

  private static List<PodSandbox> filter(PodSandboxFilter.Builder f) {
    return berthd.runtime().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(f).build()).getItemsList();
  }

  private static List<String> ids(List<PodSandbox> pods) {
    return pods.stream().map(PodSandbox::getId).toList();
  }

  private static Path pin(String id, String kind) {
    return berthd.stateDir().resolve("pins").resolve(id).resolve(kind);
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
