package io.berth.sandbox.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.os.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CNI protocol as berth speaks it, against shell-script plugins that record each call. */
class CniPodNetworkTest {
  private static final String PORTMAP_RESULT = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.5/24\"}]}";

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();
  private final CommandRunner runner = new CommandRunner();
  private FakePlugins plugins;
  private Path confDir;
  private CniResultCache cache;
  private CniPodNetwork network;

  @BeforeEach
  void setUp() throws Exception {
    plugins = new FakePlugins(dir);
    plugins.add("loopback", "{\"cniVersion\":\"0.3.1\",\"interfaces\":[{\"name\":\"lo\"}]}");
    plugins.add("fakebridge", CniResultParserTest.BRIDGE_RESULT);
    plugins.add("fakeipam", "{}");
    plugins.add("fakeportmap", PORTMAP_RESULT);
    confDir = Files.createDirectories(dir.resolve("net.d"));
    Files.writeString(confDir.resolve("10-test.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"testnet\",\"plugins\":["
        + "{\"type\":\"fakebridge\",\"bridge\":\"tb0\",\"ipam\":{\"type\":\"fakeipam\"}},"
        + "{\"type\":\"fakeportmap\",\"capabilities\":{\"portMappings\":true}}]}");
    cache = new CniResultCache(dir.resolve("cache"));
    network = new CniPodNetwork(new CniConfigLoader(confDir),
        new CniExecutor(List.of(dir.resolve("empty-bin"), plugins.binDir()), runner, Duration.ofSeconds(30)),
        cache, Runnable::run);
  }

  @AfterEach
  void close() {
    runner.close();
  }

  private static PodNetworkRequest request() {
    return new PodNetworkRequest("sb1", "/run/berth/pins/sb1/net", "default", "web", "uid-1",
        List.of(new PortMappingArg(8080, 80, "tcp", ""), new PortMappingArg(0, 9090, "udp", ""),
            new PortMappingArg(5353, 53, "udp", "127.0.0.1")));
  }

  @Test
  void addRunsLoopbackThenTheListChainingPrevResult() throws Exception {
    PodNetwork.Attachment a = network.setUp(request());
    assertEquals(List.of("10.22.0.5"), a.ips(), "the pod IPs come from the last plugin's result");

    List<FakePlugins.Call> calls = plugins.calls();
    assertEquals(List.of("loopback/ADD", "fakebridge/ADD", "fakeportmap/ADD"),
        calls.stream().map(c -> c.type() + "/" + c.command()).toList());
    FakePlugins.Call lo = calls.get(0);
    assertTrue(lo.env().contains("CNI_IFNAME=lo\n"), lo.env());
    FakePlugins.Call bridge = calls.get(1);
    assertTrue(bridge.env().contains("CNI_CONTAINERID=sb1\n"));
    assertTrue(bridge.env().contains("CNI_NETNS=/run/berth/pins/sb1/net\n"));
    assertTrue(bridge.env().contains("CNI_IFNAME=eth0\n"));
    assertTrue(bridge.env().contains("CNI_PATH=" + dir.resolve("empty-bin") + ":" + plugins.binDir() + "\n"));
    assertTrue(bridge.env().contains("CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;"
        + "K8S_POD_INFRA_CONTAINER_ID=sb1;K8S_POD_UID=uid-1\n"), bridge.env());

    JsonNode bridgeIn = json.readTree(bridge.stdin());
    assertEquals("testnet", bridgeIn.get("name").asText());
    assertEquals("1.0.0", bridgeIn.get("cniVersion").asText());
    assertEquals("tb0", bridgeIn.get("bridge").asText());
    assertFalse(bridgeIn.has("prevResult"));
    assertFalse(bridgeIn.has("runtimeConfig"), "bridge declares no capabilities");

    JsonNode portmapIn = json.readTree(calls.get(2).stdin());
    assertEquals(json.readTree(CniResultParserTest.BRIDGE_RESULT), portmapIn.get("prevResult"));
    JsonNode mappings = portmapIn.get("runtimeConfig").get("portMappings");
    assertEquals(2, mappings.size(), "hostPort 0 means no host port");
    assertEquals(json.readTree("{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}"), mappings.get(0));
    assertEquals("127.0.0.1", mappings.get(1).get("hostIP").asText());

    assertEquals(json.readTree(PORTMAP_RESULT), cache.read("sb1").orElseThrow().result(),
        "the last plugin's result is cached");
  }

  @Test
  void delUsesTheCachedConfigInReverseOrderAndIsIdempotent() throws Exception {
    network.setUp(request());
    plugins.clearLog();
    // The conf dir changes after ADD: DEL must still run the network the pod was attached to.
    Files.delete(confDir.resolve("10-test.conflist"));

    network.tearDown("sb1", "/run/berth/pins/sb1/net");
    List<FakePlugins.Call> calls = plugins.calls();
    assertEquals(List.of("fakeportmap/DEL", "fakebridge/DEL"),
        calls.stream().map(c -> c.type() + "/" + c.command()).toList());
    for (FakePlugins.Call c : calls) {
      JsonNode in = json.readTree(c.stdin());
      assertEquals(json.readTree(PORTMAP_RESULT), in.get("prevResult"), c.type());
      assertEquals("testnet", in.get("name").asText());
    }
    assertEquals(2, json.readTree(calls.get(0).stdin()).get("runtimeConfig").get("portMappings").size(),
        "DEL gets the same port mappings so portmap removes its rules");
    assertTrue(cache.read("sb1").isEmpty());

    plugins.clearLog();
    network.tearDown("sb1", "");
    assertTrue(plugins.calls().isEmpty(), "second DEL has nothing to do");
  }

  @Test
  void checkRunsInOrderWithTheCachedResult() throws Exception {
    network.setUp(request());
    plugins.clearLog();
    network.check("sb1", "/run/berth/pins/sb1/net");
    List<FakePlugins.Call> calls = plugins.calls();
    assertEquals(List.of("fakebridge/CHECK", "fakeportmap/CHECK"),
        calls.stream().map(c -> c.type() + "/" + c.command()).toList());
    assertEquals(json.readTree(PORTMAP_RESULT), json.readTree(calls.get(0).stdin()).get("prevResult"));
  }

  @Test
  void failedAddIsRolledBackWithDelAndLeavesNoCache() throws Exception {
    plugins.failing("fakeportmap", "ADD", PORTMAP_RESULT);
    CniException e = assertThrows(CniException.class, () -> network.setUp(request()));
    assertEquals(11, e.code());
    assertTrue(e.getMessage().contains("fakeportmap ADD failed"), e.getMessage());
    assertTrue(e.getMessage().contains("no more addresses: range full"), e.getMessage());
    List<String> calls = plugins.calls().stream().map(c -> c.type() + "/" + c.command()).toList();
    assertEquals(List.of("loopback/ADD", "fakebridge/ADD", "fakeportmap/ADD", "fakeportmap/DEL", "fakebridge/DEL"), calls);
    JsonNode delIn = json.readTree(plugins.calls().get(4).stdin());
    assertNull(delIn.get("prevResult"), "ADD never finished: DEL without prevResult");
    assertTrue(cache.read("sb1").isEmpty());
  }

  @Test
  void failedDelKeepsTheCacheForARetry() throws Exception {
    network.setUp(request());
    plugins.failing("fakebridge", "DEL", CniResultParserTest.BRIDGE_RESULT);
    assertThrows(CniException.class, () -> network.tearDown("sb1", ""));
    assertTrue(cache.read("sb1").isPresent());
    plugins.add("fakebridge", CniResultParserTest.BRIDGE_RESULT);
    network.tearDown("sb1", "");
    assertTrue(cache.read("sb1").isEmpty());
  }

  @Test
  void statusNamesTheMissingPieces() throws Exception {
    assertTrue(network.status().ready(), network.status().message());
    Files.delete(plugins.binDir().resolve("fakeipam"));
    NetworkStatus s = network.status();
    assertFalse(s.ready());
    assertEquals("NetworkPluginNotReady", s.reason());
    assertTrue(s.message().contains("CNI plugin fakeipam"), s.message());

    Files.delete(confDir.resolve("10-test.conflist"));
    s = network.status();
    assertFalse(s.ready());
    assertTrue(s.message().contains(confDir.toString()), s.message());
  }
}
