package io.berth.sandbox;

import static io.berth.sandbox.HostCommands.concat;
import static io.berth.sandbox.HostCommands.ok;
import static io.berth.sandbox.HostCommands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.cri.v1.DNSConfig;
import io.berth.cri.v1.LinuxPodSandboxConfig;
import io.berth.cri.v1.LinuxSandboxSecurityContext;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.ListPodSandboxResponse;
import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.NamespaceOption;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxMetadata;
import io.berth.cri.v1.PodSandboxState;
import io.berth.cri.v1.PodSandboxStatus;
import io.berth.cri.v1.PodSandboxStatusRequest;
import io.berth.cri.v1.PortMapping;
import io.berth.cri.v1.RemovePodSandboxRequest;
import io.berth.cri.v1.RunPodSandboxRequest;
import io.berth.cri.v1.StopPodSandboxRequest;
import io.berth.os.Linux;
import io.berth.os.MountTable;
import io.berth.sandbox.ns.NamespaceKind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pod sandboxes on the real host: util-linux namespace pins, Debian's CNI plugins (bridge,
 * host-local, portmap, loopback) on a private test bridge and subnet, tmpfs /dev/shm. Needs root.
 * Everything it creates (bridge, iptables chains, IPAM state, mounts) is removed in teardown and
 * checked after every test.
 */
class PodSandboxIT {
  static final String BRIDGE = "berthsbx0";
  static final String NETWORK = "berth-sandbox-it";
  static final String SUBNET_PREFIX = "10.213.77.";
  static final Path CNI_BIN = Path.of("/usr/lib/cni");

  static Path dir;
  static Path stateDir;
  static Path rootDir;
  static Path ipamDir;
  static PodSandboxManager manager;
  static String ipForwardBefore;
  static Set<String> natChainsBefore;
  static Set<String> nat6ChainsBefore;

  @BeforeAll
  static void setUpHost() throws Exception {
    if (!Linux.load().isRoot()) {
      fail("PodSandboxIT needs root (namespaces, mounts, CNI plugins); run the integration tests as root");
    }
    for (String plugin : List.of("bridge", "host-local", "portmap", "loopback")) {
      HostCommands.requireExecutable(CNI_BIN.resolve(plugin), "apt-get install containernetworking-plugins");
    }
    HostCommands.requireExecutable(Path.of("/usr/bin/unshare"), "apt-get install util-linux");
    HostCommands.requireExecutable(Path.of("/usr/bin/nsenter"), "apt-get install util-linux");
    HostCommands.requireExecutable(Path.of("/usr/sbin/iptables"), "apt-get install iptables");
    HostCommands.requireExecutable(Path.of("/usr/sbin/ip"), "apt-get install iproute2");
    if (run("ip", "link", "show", BRIDGE).exitCode() == 0) {
      fail("bridge " + BRIDGE + " already exists (left by an earlier run?); remove it: ip link del " + BRIDGE);
    }
    ipForwardBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
    natChainsBefore = natChains("iptables");
    nat6ChainsBefore = natChains("ip6tables");

    dir = Files.createTempDirectory("berth-sandbox-it");
    stateDir = dir.resolve("state");
    rootDir = dir.resolve("root");
    ipamDir = dir.resolve("ipam");
    Path confDir = Files.createDirectories(dir.resolve("net.d"));
    // ipMasq false: no nat rules from bridge; dataDir in the temp dir: the host's IPAM state is untouched.
    Files.writeString(confDir.resolve("10-berth-it.conflist"), """
        {
          "cniVersion": "1.0.0",
          "name": "%s",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "%s",
              "isGateway": true,
              "ipMasq": false,
              "ipam": {
                "type": "host-local",
                "dataDir": "%s",
                "ranges": [[{"subnet": "%s0/24"}]],
                "routes": [{"dst": "0.0.0.0/0"}]
              }
            },
            {"type": "portmap", "capabilities": {"portMappings": true}}
          ]
        }
        """.formatted(NETWORK, BRIDGE, ipamDir, SUBNET_PREFIX));
    manager = newManager();
  }

  static PodSandboxManager newManager() throws Exception {
    SandboxManagerConfig config = SandboxManagerConfig.of(rootDir, stateDir, dir.resolve("net.d"),
        List.of(dir.resolve("no-such-bin"), CNI_BIN)).withShmSizeBytes(16L << 20);
    return new PodSandboxManager(config, Set.of("runc", "crun"), PodContainers.none(), PodInfraProcess.unavailable());
  }

  @AfterEach
  void everyTestCleansUp() throws Exception {
    ListPodSandboxResponse left = manager.listPodSandbox(ListPodSandboxRequest.getDefaultInstance());
    for (var s : left.getItemsList()) {
      manager.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(s.getId()).build());
    }
    assertEquals(0, left.getItemsCount(), "a test left sandboxes behind");
    assertNothingLeft();
  }

  @AfterAll
  static void tearDownHost() throws Exception {
    List<String> problems = new ArrayList<>();
    try {
      if (manager != null) {
        for (var s : manager.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
          manager.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(s.getId()).build());
        }
        manager.close();
      }
    } catch (Exception e) {
      problems.add("removing sandboxes: " + e);
    }
    if (run("ip", "link", "show", BRIDGE).exitCode() == 0) {
      HostCommands.Output o = run("ip", "link", "del", BRIDGE);
      if (o.exitCode() != 0) {
        problems.add("ip link del " + BRIDGE + ": " + o.text());
      }
    }
    problems.addAll(deleteNewNatChains("iptables", natChainsBefore));
    problems.addAll(deleteNewNatChains("ip6tables", nat6ChainsBefore));
    if (ipForwardBefore != null) {
      // The bridge plugin turns forwarding on; give the host back what it had.
      Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), ipForwardBefore + "\n");
    }
    if (dir != null) {
      Linux linux = Linux.load();
      MountTable mounts = new MountTable();
      List<Path> left = mounts.mountPointsUnder(dir);
      for (int i = left.size() - 1; i >= 0; i--) {
        linux.unmountIfMounted(left.get(i).toString());
      }
      if (!new MountTable().mountPointsUnder(dir).isEmpty()) {
        problems.add("mounts left under " + dir + ": " + new MountTable().mountPointsUnder(dir));
      } else {
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      fail("host teardown: " + problems);
    }
  }

  // ------------------------------------------------------------------ tests

  @Test
  void podsGetAddressesReachEachOtherAndHaveTheirHostnameAndSysctls() throws Exception {
    String a = runPod("alpha", config("alpha")
        .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10").addSearches("svc.cluster.local").addOptions("ndots:5"))
        .setLinux(linux(NamespaceMode.POD, NamespaceMode.POD)
            .putSysctls("net.ipv4.ip_unprivileged_port_start", "80")
            .putSysctls("net.ipv4.conf.eth0.rp_filter", "2")
            .putSysctls("kernel.shm_rmid_forced", "1")));
    String b = runPod("beta", config("beta"));

    PodSandboxStatus sa = status(a);
    PodSandboxStatus sb = status(b);
    assertEquals(PodSandboxState.SANDBOX_READY, sa.getState());
    String ipA = sa.getNetwork().getIp();
    String ipB = sb.getNetwork().getIp();
    assertTrue(ipA.startsWith(SUBNET_PREFIX), ipA);
    assertTrue(ipB.startsWith(SUBNET_PREFIX), ipB);
    assertNotEquals(ipA, ipB);

    Path netA = pin(a, NamespaceKind.NET);
    Path netB = pin(b, NamespaceKind.NET);
    assertTrue(ok("nsenter", "--net=" + netA, "ip", "-o", "-4", "addr", "show", "dev", "eth0").contains(ipA + "/24"));
    assertTrue(ok("nsenter", "--net=" + netA, "ip", "-o", "link", "show", "lo").contains("UP"), "loopback is up");
    ok(pingFrom(netA, ipB));
    ok(pingFrom(netB, ipA));

    assertEquals("alpha", ok("nsenter", "--uts=" + pin(a, NamespaceKind.UTS), "cat", "/proc/sys/kernel/hostname").strip());
    assertEquals("beta", ok("nsenter", "--uts=" + pin(b, NamespaceKind.UTS), "cat", "/proc/sys/kernel/hostname").strip());
    assertEquals("80", ok("nsenter", "--net=" + netA, "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start").strip());
    assertEquals("1024", ok("nsenter", "--net=" + netB, "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start").strip(),
        "sysctls of one pod do not leak into another");
    assertEquals("2", ok("nsenter", "--net=" + netA, "cat", "/proc/sys/net/ipv4/conf/eth0/rp_filter").strip());
    assertEquals("1", ok("nsenter", "--ipc=" + pin(a, NamespaceKind.IPC), "cat", "/proc/sys/kernel/shm_rmid_forced").strip());
    assertEquals("0", ok("nsenter", "--ipc=" + pin(b, NamespaceKind.IPC), "cat", "/proc/sys/kernel/shm_rmid_forced").strip());
    assertNotEquals(ok("readlink", "/proc/self/ns/net").strip(), ok("nsenter", "--net=" + netA, "readlink", "/proc/self/ns/net").strip());

    var sandboxA = manager.find(a).orElseThrow();
    Path files = Path.of(sandboxA.metadata().filesDir());
    assertEquals("search svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
        Files.readString(files.resolve("resolv.conf")));
    assertTrue(Files.readString(files.resolve("hosts")).contains(ipA + "\talpha\n"));
    assertEquals("alpha\n", Files.readString(files.resolve("hostname")));
    MountTable.Entry shm = new MountTable().find(Path.of(sandboxA.metadata().shmDir()));
    assertTrue(shm != null && shm.fsType().equals("tmpfs"), "pod /dev/shm is a tmpfs");
    assertTrue(ok("df", "-k", sandboxA.metadata().shmDir()).contains("16384"), "shm size as configured");

    manager.checkNetwork(a);

    stopAndRemove(a);
    stopAndRemove(b);
    assertFalse(Files.exists(netA));
    assertFalse(Files.exists(files));
  }

  @Test
  void hostPortsBecomePortmapRulesThatStopRemoves() throws Exception {
    String id = runPod("web", config("web").addPortMappings(
        PortMapping.newBuilder().setContainerPort(80).setHostPort(18080)));
    String ip = status(id).getNetwork().getIp();
    String nat = ok("iptables", "-t", "nat", "-S");
    assertTrue(nat.contains("--dport 18080") && nat.contains(ip + ":80"), nat);

    manager.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, status(id).getState());
    assertFalse(ok("iptables", "-t", "nat", "-S").contains(ip + ":80"), "DEL removed the DNAT rule");
    assertFalse(ipamReservations().contains(ip), "DEL released the address");
    assertTrue(Files.exists(pin(id, NamespaceKind.NET)), "the netns stays pinned until remove");
    manager.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
  }

  @Test
  void aSysctlTheKernelRefusesFailsTheRunAndLeavesNothing() throws Exception {
    StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> runPod("nosuch",
        config("nosuch").setLinux(linux(NamespaceMode.POD, NamespaceMode.POD)
            .putSysctls("net.ipv4.conf.eth9.rp_filter", "1"))));
    assertEquals(Status.Code.INVALID_ARGUMENT, missing.getStatus().getCode());
    assertTrue(missing.getStatus().getDescription().contains("net.ipv4.conf.eth9.rp_filter"), missing.getMessage());

    StatusRuntimeException rejected = assertThrows(StatusRuntimeException.class, () -> runPod("badvalue",
        config("badvalue").setLinux(linux(NamespaceMode.POD, NamespaceMode.POD)
            .putSysctls("net.ipv4.ip_unprivileged_port_start", "not-a-number"))));
    assertEquals(Status.Code.INVALID_ARGUMENT, rejected.getStatus().getCode());
    assertTrue(rejected.getStatus().getDescription().contains("net.ipv4.ip_unprivileged_port_start"));
    // @AfterEach proves the failed runs released their address, pins and mounts.
  }

  @Test
  void hostNetworkPodsShareTheHostNamespaces() throws Exception {
    PodSandboxConfig.Builder c = config("hostnet").setLinux(linux(NamespaceMode.NODE, NamespaceMode.NODE));
    String id = runPod("hostnet", c);
    var s = manager.find(id).orElseThrow();
    assertTrue(s.status().pins().isEmpty(), "no namespace pinned");
    assertEquals("", s.metadata().shmDir());
    assertFalse(status(id).hasNetwork());
    assertTrue(ipamReservations().isEmpty());
    stopAndRemove(id);
  }

  @Test
  void twentyConcurrentPodsGetDistinctAddressesAndAllCleanUp() throws Exception {
    int n = 20;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<String>> started = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = "pod-" + i;
        started.add(pool.submit(() -> runPod(name, config(name))));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : started) {
        ids.add(f.get());
      }
      Set<String> ips = new HashSet<>();
      for (String id : ids) {
        String ip = status(id).getNetwork().getIp();
        assertTrue(ip.startsWith(SUBNET_PREFIX), ip);
        ips.add(ip);
        assertTrue(ok("nsenter", "--net=" + pin(id, NamespaceKind.NET), "ip", "-o", "-4", "addr", "show", "dev", "eth0")
            .contains(ip + "/"), "eth0 of " + id + " has " + ip);
      }
      assertEquals(n, ips.size(), "distinct addresses: " + ips);
      assertEquals(ips, ipamReservations());

      List<Future<?>> stopped = new ArrayList<>();
      for (String id : ids) {
        stopped.add(pool.submit(() -> {
          stopAndRemove(id);
          return null;
        }));
      }
      for (Future<?> f : stopped) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRestartedManagerSeesIdenticalSandboxesAndCanRemoveThem() throws Exception {
    String ready = runPod("keep", config("keep"));
    String stopped = runPod("stopped", config("stopped"));
    manager.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(stopped).build());
    ListPodSandboxResponse before = manager.listPodSandbox(ListPodSandboxRequest.getDefaultInstance());
    PodSandboxStatus readyBefore = status(ready);

    manager.close();
    manager = newManager();

    assertEquals(before, manager.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()));
    assertEquals(readyBefore, status(ready), "same id, IP, state and creation time");
    assertEquals(PodSandboxState.SANDBOX_READY, status(ready).getState());
    String ip = readyBefore.getNetwork().getIp();
    assertTrue(ok("nsenter", "--net=" + pin(ready, NamespaceKind.NET), "ip", "-o", "-4", "addr", "show", "dev", "eth0")
        .contains(ip + "/"), "the pinned netns survived the restart");
    manager.checkNetwork(ready);

    stopAndRemove(ready);
    stopAndRemove(stopped);
  }

  // ------------------------------------------------------------------ helpers

  static PodSandboxConfig.Builder config(String name) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("berth-it").setUid("uid-" + name))
        .setHostname(name)
        .putLabels("test", "PodSandboxIT")
        .setLinux(linux(NamespaceMode.POD, NamespaceMode.POD));
  }

  static LinuxPodSandboxConfig.Builder linux(NamespaceMode network, NamespaceMode ipc) {
    return LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
        .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(network).setIpc(ipc).setPid(NamespaceMode.CONTAINER)));
  }

  static String runPod(String name, PodSandboxConfig.Builder config) {
    return manager.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).setRuntimeHandler("runc").build())
        .getPodSandboxId();
  }

  static String[] pingFrom(Path netns, String ip) {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns));
    cmd.addAll(HostCommands.ping());
    return concat(cmd, "-c", "1", "-W", "5", ip);
  }

  static PodSandboxStatus status(String id) {
    return manager.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build()).getStatus();
  }

  static Path pin(String id, NamespaceKind kind) {
    return manager.namespacePath(id, kind).orElseThrow(() -> new AssertionError(id + " has no " + kind + " pin"));
  }

  static void stopAndRemove(String id) {
    manager.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    manager.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
  }

  /** Addresses host-local holds: one file per address in its data dir. */
  static Set<String> ipamReservations() throws Exception {
    Path net = ipamDir.resolve(NETWORK);
    Set<String> out = new HashSet<>();
    if (Files.isDirectory(net)) {
      try (Stream<Path> s = Files.list(net)) {
        s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(SUBNET_PREFIX)).forEach(out::add);
      }
    }
    return out;
  }

  /** No pin, mount, veth, IPAM reservation, CNI cache entry or record is left. */
  static void assertNothingLeft() throws Exception {
    Path pins = stateDir.toRealPath().resolve("pins");
    List<Path> mounts = new MountTable().mountPointsUnder(dir.toRealPath());
    assertEquals(List.of(pins), mounts, "only the private pin root stays mounted");
    try (Stream<Path> s = Files.list(pins)) {
      assertEquals(List.of(), s.toList(), "no namespace pin left");
    }
    assertEquals(Set.of(), ipamReservations(), "no IPAM reservation left");
    if (run("ip", "link", "show", BRIDGE).exitCode() == 0) {
      assertEquals("", ok("ip", "-o", "link", "show", "master", BRIDGE).strip(), "no veth left on " + BRIDGE);
    }
    Path cache = rootDir.resolve("cni/results");
    if (Files.isDirectory(cache)) {
      try (Stream<Path> s = Files.list(cache)) {
        assertEquals(List.of(), s.toList(), "no CNI cache entry left");
      }
    }
    try (Stream<Path> s = Files.list(rootDir.resolve("sandboxes"))) {
      assertEquals(List.of(), s.toList(), "no sandbox record or files left");
    }
    Path volatileDirs = stateDir.resolve("sandboxes");
    if (Files.isDirectory(volatileDirs)) {
      try (Stream<Path> s = Files.list(volatileDirs)) {
        assertEquals(List.of(), s.toList(), "no shm dir left");
      }
    }
  }

  static Set<String> natChains(String tool) {
    HostCommands.Output o = run(tool, "-t", "nat", "-S");
    Set<String> chains = new HashSet<>();
    if (o.exitCode() == 0) {
      for (String line : o.text().split("\n")) {
        if (line.startsWith("-N ")) {
          chains.add(line.substring(3).strip());
        }
      }
    }
    return chains;
  }

  /** Removes the CNI-* nat chains portmap created during this run (and the jumps into them). */
  static List<String> deleteNewNatChains(String tool, Set<String> before) {
    List<String> problems = new ArrayList<>();
    if (before == null) {
      return problems;
    }
    Set<String> created = new HashSet<>(natChains(tool));
    created.removeAll(before);
    created.removeIf(c -> !c.startsWith("CNI-"));
    if (created.isEmpty()) {
      return problems;
    }
    // Jumps into the new chains, deleted by rule number (rule texts carry quoted comments).
    for (String builtin : List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")) {
      List<String> rules = new ArrayList<>();
      for (String line : run(tool, "-t", "nat", "-S", builtin).text().split("\n")) {
        if (line.startsWith("-A ")) {
          rules.add(line);
        }
      }
      for (int i = rules.size() - 1; i >= 0; i--) {
        String rule = rules.get(i);
        if (created.stream().anyMatch(c -> rule.endsWith("-j " + c))) {
          HostCommands.Output o = run(tool, "-t", "nat", "-D", builtin, String.valueOf(i + 1));
          if (o.exitCode() != 0) {
            problems.add(tool + " -t nat -D " + builtin + " " + (i + 1) + ": " + o.text());
          }
        }
      }
    }
    for (String chain : created) {
      run(tool, "-t", "nat", "-F", chain);
    }
    for (String chain : created) {
      HostCommands.Output o = run(tool, "-t", "nat", "-X", chain);
      if (o.exitCode() != 0) {
        problems.add(tool + " -X " + chain + ": " + o.text());
      }
    }
    return problems;
  }
}
