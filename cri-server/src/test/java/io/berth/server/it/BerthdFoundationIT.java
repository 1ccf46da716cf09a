package io.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.CgroupDriver;
import io.berth.cri.v1.CheckpointContainerRequest;
import io.berth.cri.v1.ImageFsInfoRequest;
import io.berth.cri.v1.ListContainerStatsRequest;
import io.berth.cri.v1.ListContainersRequest;
import io.berth.cri.v1.ListImagesRequest;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.RuntimeCondition;
import io.berth.cri.v1.RuntimeConfigRequest;
import io.berth.cri.v1.StatusRequest;
import io.berth.cri.v1.StatusResponse;
import io.berth.cri.v1.VersionRequest;
import io.berth.cri.v1.VersionResponse;
import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.RequiresHost;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * berthd as kubelet meets it: a child process serving CRI on a unix socket, called with a plain
 * grpc-java client. Covers issue 2's "done when" list.
 */
@ExtendWith(BerthExtension.class)
@RequiresHost({Requirement.ROOT, Requirement.CRUN, Requirement.BERTH_MONITOR, Requirement.HUGETLB_V1})
class BerthdFoundationIT {
  @TempDir Path tmp;

  @Test
  void versionStatusAndRuntimeConfigOverTheSocket(BerthdProcess berthd) {
    VersionResponse v = berthd.runtime().version(VersionRequest.getDefaultInstance());
    assertEquals("berth", v.getRuntimeName());
    assertEquals("v1", v.getRuntimeApiVersion());
    assertEquals("0.1.0", v.getVersion());
    assertFalse(v.getRuntimeVersion().isBlank());
    assertNotEquals("unknown", v.getRuntimeVersion(), "version stamped by the build");

    StatusResponse s = berthd.runtime().status(StatusRequest.newBuilder().setVerbose(true).build());
    RuntimeCondition runtimeReady = condition(s, "RuntimeReady");
    assertTrue(runtimeReady.getStatus(), "RuntimeReady: " + runtimeReady);
    assertTrue(s.getInfoMap().get("config").contains("\"default_handler\":\"crun\""), s.getInfoMap().toString());
    assertTrue(s.getRuntimeHandlersList().stream().anyMatch(h -> h.getName().equals("runc")));

    // No systemd on this host: the cgroupfs driver.
    CgroupDriver expected = Files.isDirectory(Path.of("/run/systemd/system")) ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS;
    assertEquals(expected, berthd.runtime().runtimeConfig(RuntimeConfigRequest.getDefaultInstance()).getLinux().getCgroupDriver());
  }

  @Test
  void networkNotReadyNamesTheMissingConfig() throws Exception {
    Path emptyConfDir = Files.createDirectories(tmp.resolve("net.d"));
    try (BerthdProcess berthd = BerthdProcess.builder()
        .extraToml("[cni]\nconf_dir = \"" + emptyConfDir + "\"").start()) {
      RuntimeCondition net = condition(berthd.runtime().status(StatusRequest.getDefaultInstance()), "NetworkReady");
      assertFalse(net.getStatus());
      assertFalse(net.getReason().isBlank());
      assertTrue(net.getMessage().contains(emptyConfDir.toString()), net.getMessage());
    }
  }

  @Test
  void unimplementedRpcSaysWhichOne(BerthdProcess berthd) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> berthd.runtime().checkpointContainer(CheckpointContainerRequest.newBuilder().setContainerId("x").build()));
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("runtime.v1.RuntimeService/CheckpointContainer"),
        e.getStatus().getDescription());
  }

  /**
   * Every unary RPC of both services, called with an empty request, answers with a status that
   * says what is wrong (or OK): never UNKNOWN or INTERNAL. This also resolves every RPC berthd
   * registers, which it does lazily (a name paired with another RPC's generated method would parse
   * one message type as another, and fail here).
   */
  @Test
  void everyRpcAnswersAnEmptyRequestWithAClearStatus(BerthdProcess berthd) {
    List<String> unclear = new ArrayList<>();
    List<io.grpc.ServiceDescriptor> services = List.of(
        io.berth.cri.v1.RuntimeServiceGrpc.getServiceDescriptor(), io.berth.cri.v1.ImageServiceGrpc.getServiceDescriptor());
    int called = 0;
    for (io.grpc.ServiceDescriptor service : services) {
      for (io.grpc.MethodDescriptor<?, ?> m : service.getMethods()) {
        if (m.getType() != io.grpc.MethodDescriptor.MethodType.UNARY) {
          continue;
        }
        called++;
        Status.Code code = callWithEmptyRequest(berthd, m);
        if (code == Status.Code.UNKNOWN || code == Status.Code.INTERNAL) {
          unclear.add(m.getFullMethodName() + ": " + code);
        }
      }
    }
    assertTrue(called >= 30, "unary RPCs called: " + called);
    assertEquals(List.of(), unclear);
  }

  private static <Q, R> Status.Code callWithEmptyRequest(BerthdProcess berthd, io.grpc.MethodDescriptor<Q, R> m) {
    @SuppressWarnings("unchecked")
    Q empty = (Q) ((io.grpc.MethodDescriptor.PrototypeMarshaller<Q>) m.getRequestMarshaller()).getMessagePrototype();
    try {
      io.grpc.stub.ClientCalls.blockingUnaryCall(berthd.channel(), m,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), empty);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void socketIsGroupOnly(BerthdProcess berthd) throws IOException {
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(berthd.socket())));
  }

  @Test
  void secondBerthdOnTheSameSocketExitsAndLeavesTheFirstAlone(BerthdProcess berthd) throws Exception {
    Result second = runBerthdMain("--config", berthd.configFile().toString());
    assertEquals(1, second.exit, second.output);
    assertTrue(second.output.contains("another berthd (pid " + berthd.pid() + ")"), second.output);
    assertTrue(Files.exists(berthd.socket()), "first berthd's socket kept");
    assertEquals("berth", berthd.runtime().version(VersionRequest.getDefaultInstance()).getRuntimeName());
  }

  @Test
  void badConfigStopsStartupWithOneLineNamingTheKey() throws Exception {
    Path bad = tmp.resolve("bad.toml");
    Files.writeString(bad, "socket = \"" + tmp.resolve("x.sock") + "\"\n[registry]\nstall_timeot = \"1m\"\n");
    Result r = runBerthdMain("--config", bad.toString());
    assertEquals(2, r.exit, r.output);
    assertEquals("config: unknown key 'registry.stall_timeot' in " + bad, r.output.strip());
    assertFalse(Files.exists(tmp.resolve("x.sock")));

    Files.writeString(bad, "[runtime]\ndefault_handler = \"kata\"\n");
    r = runBerthdMain("--config", bad.toString(), "--socket", tmp.resolve("y.sock").toString());
    assertEquals(2, r.exit, r.output);
    assertTrue(r.output.startsWith("config: runtime.default_handler = \"kata\""), r.output);
    assertEquals(1, r.output.strip().lines().count(), r.output);
  }

  @Test
  void printConfigShowsFlagsOverTheDefaults() throws Exception {
    Result r = runBerthdMain("--print-config", "--socket", "/tmp/elsewhere.sock", "--log-level", "warn");
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains("socket = '/tmp/elsewhere.sock'"), r.output);
    assertTrue(r.output.contains("log_level = 'warn'"), r.output);
    assertTrue(r.output.contains("root_dir = '/var/lib/berth'"), r.output);
  }

  /**
   * What a fresh node's berthd loads while kubelet polls it is its idle memory (each class is
   * archive pages or metaspace): JSON mappers are made when there is JSON to read or write, and an
   * RPC's messages are loaded when it is called, not at start-up.
   */
  @Test
  @RequiresHost(Requirement.CNI_PLUGINS)
  void anEmptyNodePolledLikeKubeletLoadsNoJsonMapperAndNoMessagesOfUncalledRpcs() throws Exception {
    Path classLog = tmp.resolve("classes.log");
    // A node whose network is configured: kubelet's Status calls make berthd read the conflist.
    Path confDir = Files.createDirectories(tmp.resolve("net.d"));
    Files.writeString(confDir.resolve("10-test.conflist"), """
        {"cniVersion": "1.0.0", "name": "idle-test", "plugins": [{"type": "bridge", "bridge": "berthidle0",
          "ipMasq": false, "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.239.0.0/24"}]]}},
          {"type": "portmap", "capabilities": {"portMappings": true}}]}
        """);
    BerthdProcess berthd = BerthdProcess.builder()
        .jvmArgs("-XX:+UseSerialGC", "-Xlog:class+load=info:file=" + classLog)
        .extraToml("[cni]\nconf_dir = \"" + confDir + "\"\nbin_dirs = [\"/usr/lib/cni\"]").start();
    try {
      berthd.runtime().version(VersionRequest.getDefaultInstance());
      StatusResponse status = berthd.runtime().status(StatusRequest.getDefaultInstance());
      assertTrue(condition(status, "RuntimeReady").getStatus());
      assertTrue(condition(status, "NetworkReady").getStatus(), "the conflist was read: " + status);
      berthd.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance());
      berthd.runtime().listContainers(ListContainersRequest.getDefaultInstance());
      berthd.runtime().listContainerStats(ListContainerStatsRequest.getDefaultInstance());
      berthd.images().listImages(ListImagesRequest.getDefaultInstance());
      berthd.images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
      berthd.stop();
    } finally {
      berthd.close();
    }
    List<String> loaded = Files.readAllLines(classLog).stream()
        .map(l -> l.replaceFirst(".*\\] ", "").replaceFirst(" source: .*", ""))
        .toList();
    assertTrue(loaded.contains("io.berth.cri.v1.VersionResponse"), "the class log is read: " + loaded.size());
    assertFalse(loaded.contains("com.fasterxml.jackson.databind.ObjectMapper"),
        "an ObjectMapper was created on an empty node; see " + classLog);
    assertFalse(loaded.contains("io.berth.cri.v1.CheckpointContainerRequest"),
        "the messages of an RPC nobody called were loaded");
  }

  @Test
  void sigtermRemovesTheSocket() {
    BerthdProcess berthd = BerthdProcess.builder().start();
    try {
      Path socket = berthd.socket();
      assertTrue(Files.exists(socket));
      berthd.stop();
      assertFalse(Files.exists(socket), "socket removed on graceful shutdown");
    } finally {
      berthd.close();
    }
  }

  @Test
  void prometheusMetricsCountEveryRpcByCode() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (BerthdProcess berthd = BerthdProcess.builder().extraToml("[metrics]\naddress = \"127.0.0.1:" + port + "\"").start()) {
      berthd.runtime().version(VersionRequest.getDefaultInstance());
      assertThrows(StatusRuntimeException.class,
          () -> berthd.runtime().checkpointContainer(CheckpointContainerRequest.getDefaultInstance()));
      HttpResponse<String> res = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, res.statusCode());
      String body = res.body();
      // BerthdProcess itself waits for berthd with a Version call, so count at least ours.
      assertTrue(java.util.regex.Pattern.compile("berth_grpc_requests_total\\{service=\"runtime.v1.RuntimeService\","
          + "method=\"Version\",code=\"OK\",\\} [1-9][0-9]*\\.0").matcher(body).find(), body);
      assertTrue(body.contains("method=\"CheckpointContainer\",code=\"UNIMPLEMENTED\",} 1.0"), body);
      assertTrue(body.contains("berth_grpc_request_duration_seconds_bucket{service=\"runtime.v1.RuntimeService\",method=\"Version\""), body);
      assertTrue(body.contains("jvm_memory_bytes_used"), "JVM metrics exported");
    }
  }

  private static RuntimeCondition condition(StatusResponse s, String type) {
    return s.getStatus().getConditionsList().stream().filter(c -> c.getType().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " in " + s));
  }

  private record Result(int exit, String output) {}

  /** Runs berthd's main in a fresh JVM, like an operator would, and captures its output. */
  private static Result runBerthdMain(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), BerthdProcess.MAIN_CLASS));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("berthd did not exit: " + new String(out, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
