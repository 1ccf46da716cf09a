package io.berth.sandbox.ns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SysctlPolicyTest {
  private final SysctlPolicy policy = new SysctlPolicy();

  @Test
  void acceptsNamespacedSysctlsWhenThePodOwnsTheNamespace() {
    List<Sysctl> out = policy.validate(Map.of(
        "net.ipv4.ip_unprivileged_port_start", "0",
        "kernel.shm_rmid_forced", "1",
        "kernel.msgmax", "8192",
        "kernel.sem", "250 32000 32 128",
        "fs.mqueue.msg_max", "20",
        "kernel.domainname", "example"), true, true, true);
    assertEquals(6, out.size());
    Sysctl first = out.get(0);
    assertEquals("fs.mqueue.msg_max", first.name(), "sorted by name");
    assertEquals("fs/mqueue/msg_max", first.procPath());
    assertEquals(NamespaceKind.IPC, first.namespace());
    Sysctl net = out.stream().filter(s -> s.name().startsWith("net.")).findFirst().orElseThrow();
    assertEquals(NamespaceKind.NET, net.namespace());
    assertEquals("net/ipv4/ip_unprivileged_port_start", net.procPath());
    assertFalse(net.afterNetworkSetup());
    assertEquals(NamespaceKind.UTS,
        out.stream().filter(s -> s.name().equals("kernel.domainname")).findFirst().orElseThrow().namespace());
  }

  @Test
  void netSysctlsNeedAPodNetworkNamespace() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> policy.validate(Map.of("net.ipv4.tcp_syncookies", "1"), false, true, false));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("net.ipv4.tcp_syncookies"), e.getMessage());
  }

  @Test
  void ipcSysctlsNeedAPodIpcNamespace() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> policy.validate(Map.of("kernel.shmmax", "1000000"), true, false, true));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("kernel.shmmax"));
  }

  @Test
  void utsSysctlsNeedAPodUtsNamespace() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> policy.validate(Map.of("kernel.hostname", "x"), false, true, false));
    assertTrue(e.getStatus().getDescription().contains("kernel.hostname"));
  }

  @Test
  void refusesHostWideAndUnknownSysctls() {
    for (String name : List.of("vm.swappiness", "kernel.pid_max", "fs.file-max", "kernel.panic", "bogus")) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> policy.validate(Map.of(name, "1"), true, true, true), name);
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains(name), e.getMessage());
    }
  }

  @Test
  void refusesPathTricksAndMultiLineValues() {
    for (String name : List.of("net.ipv4..x", "net/../../etc/passwd", "net.ipv4 .x", "")) {
      assertThrows(StatusRuntimeException.class, () -> policy.validate(Map.of(name, "1"), true, true, true), name);
    }
    assertThrows(StatusRuntimeException.class,
        () -> policy.validate(Map.of("net.ipv4.tcp_syncookies", "1\n0"), true, true, true));
  }

  @Test
  void slashFormNamesKeepDotsInsideInterfaceNames() {
    Sysctl s = policy.validate(Map.of("net/ipv4/conf/eth0.100/forwarding", "1"), true, true, true).get(0);
    assertEquals("net.ipv4.conf.eth0/100.forwarding", s.name());
    assertEquals("net/ipv4/conf/eth0.100/forwarding", s.procPath());
    assertTrue(s.afterNetworkSetup(), "names an interface that exists only after CNI ADD");
  }

  @Test
  void allAndDefaultInterfaceSettingsApplyBeforeTheNetworkExists() {
    assertFalse(policy.validate(Map.of("net.ipv4.conf.all.forwarding", "1"), true, true, true).get(0).afterNetworkSetup());
    assertFalse(policy.validate(Map.of("net.ipv6.conf.default.disable_ipv6", "1"), true, true, true).get(0).afterNetworkSetup());
    assertTrue(policy.validate(Map.of("net.ipv4.conf.eth0.rp_filter", "1"), true, true, true).get(0).afterNetworkSetup());
  }
}
