package io.berth.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.DNSConfig;
import io.berth.cri.v1.LinuxPodSandboxConfig;
import io.berth.cri.v1.LinuxSandboxSecurityContext;
import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.NamespaceOption;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxMetadata;
import io.berth.sandbox.ns.NamespaceKind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxStoreTest {
  @TempDir Path dir;

  static Sandbox sample(String id, long createdAt) {
    PodSandboxConfig config = PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("default").setUid("u-" + id).setAttempt(2))
        .setHostname("web-0")
        .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10"))
        .putLabels("app", "web")
        .putAnnotations("note", "keep {\"verbatim\": true}\n")
        .setLinux(LinuxPodSandboxConfig.newBuilder()
            .putSysctls("net.ipv4.ip_unprivileged_port_start", "0")
            .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))))
        .build();
    SandboxMetadata md = new SandboxMetadata(id, NameRegistrar.sandboxName("web", "default", "u-" + id, 2),
        createdAt, "runc", "web-0", "/var/lib/berth/sandboxes/" + id, "/run/berth/sandboxes/" + id + "/shm", config);
    return new Sandbox(md, SandboxStatus.creating());
  }

  @Test
  void roundTripsThroughARestart() throws Exception {
    SandboxStore store = new SandboxStore(dir);
    Sandbox a = sample("aaa", 200);
    Sandbox b = sample("bbb", 100);
    store.create(a);
    store.create(b);
    Sandbox updated = store.update("aaa", s -> s.withState(SandboxState.READY)
        .withPins(Map.of(NamespaceKind.NET, "/run/berth/pins/aaa/net", NamespaceKind.UTS, "/run/berth/pins/aaa/uts"))
        .withIps(List.of("10.1.0.5", "fd00::5"))
        .withInfraPid(42));

    SandboxStore reloaded = new SandboxStore(dir);
    assertEquals(List.of(), reloaded.loadProblems());
    assertEquals(updated, reloaded.get("aaa").orElseThrow(), "identical after reload, config included");
    assertEquals(b, reloaded.get("bbb").orElseThrow());
    assertEquals(List.of("bbb", "aaa"), reloaded.list().stream().map(Sandbox::id).toList(), "oldest first");
    assertEquals("keep {\"verbatim\": true}\n",
        reloaded.get("aaa").orElseThrow().metadata().config().getAnnotationsOrThrow("note"));
    assertFalse(reloaded.get("aaa").orElseThrow().metadata().sharedPid());
  }

  @Test
  void deleteRemovesTheFileAndUpdateOfAMissingSandboxIsNotFound() throws Exception {
    SandboxStore store = new SandboxStore(dir);
    store.create(sample("aaa", 1));
    store.delete("aaa");
    store.delete("aaa");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count());
    }
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> store.update("aaa", st -> st.withState(SandboxState.READY)));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void aCorruptRecordIsReportedNotFatal() throws Exception {
    SandboxStore store = new SandboxStore(dir);
    store.create(sample("aaa", 1));
    Files.writeString(dir.resolve("bad.json"), "{\"version\":1,\"metad");
    SandboxStore reloaded = new SandboxStore(dir);
    assertTrue(reloaded.get("aaa").isPresent());
    assertEquals(1, reloaded.loadProblems().size());
    assertTrue(reloaded.loadProblems().get(0).contains("bad.json"));
  }

  @Test
  void registrarRefusesASecondHolderAndNamesTheFirst() {
    NameRegistrar r = new NameRegistrar();
    r.reserve("web_default_u_0", "id-1");
    r.reserve("web_default_u_0", "id-1");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> r.reserve("web_default_u_0", "id-2"));
    assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("id-1"));
    r.release("web_default_u_0", "id-2");
    assertEquals("id-1", r.holder("web_default_u_0").orElseThrow(), "only the holder releases");
    r.release("web_default_u_0", "id-1");
    r.reserve("web_default_u_0", "id-2");
  }
}
