package io.berth.sandbox.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.DNSConfig;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvAndHostsTest {
  @TempDir Path dir;

  @Test
  void rendersSearchServersAndOptions() {
    DNSConfig dns = DNSConfig.newBuilder()
        .addServers("10.96.0.10").addServers("fd00::a")
        .addSearches("default.svc.cluster.local").addSearches("svc.cluster.local")
        .addOptions("ndots:5").addOptions("edns0")
        .build();
    assertEquals("search default.svc.cluster.local svc.cluster.local\n"
        + "nameserver 10.96.0.10\n"
        + "nameserver fd00::a\n"
        + "options ndots:5 edns0\n", ResolvConf.render(dns));
  }

  @Test
  void emptyDnsConfigHasNoContent() {
    assertFalse(ResolvConf.hasContent(DNSConfig.getDefaultInstance()));
    assertFalse(ResolvConf.hasContent(null));
    assertTrue(ResolvConf.hasContent(DNSConfig.newBuilder().addOptions("ndots:1").build()));
  }

  @Test
  void refusesEntriesThatWouldBreakTheFile() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ResolvConf.validate(DNSConfig.newBuilder().addServers("1.1.1.1").addServers("2.2.2.2\nnameserver 6.6.6.6").build()));
    assertTrue(e.getStatus().getDescription().contains("config.dns_config.servers[1]"), e.getMessage());
  }

  @Test
  void hostsHasLocalhostAndThePod() {
    String hosts = HostsFile.render("10.1.2.3", "web-0");
    assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"));
    assertTrue(hosts.endsWith("fe00::2\tip6-allrouters\n10.1.2.3\tweb-0\n"), hosts);
    assertEquals(HostsFile.LOCALHOST, HostsFile.render("", "web-0"));
  }

  @Test
  void podFilesUseDnsConfigOrCopyTheHostFiles() throws Exception {
    Path hostResolv = Files.writeString(dir.resolve("host-resolv.conf"), "nameserver 192.0.2.53\n");
    Path hostHosts = Files.writeString(dir.resolve("host-hosts"), "127.0.0.1 localhost node1\n");
    PodFiles files = new PodFiles(hostResolv, hostHosts);

    PodFiles.Paths p = files.write(dir.resolve("pod1"), null, "10.1.2.3", "pod1", false);
    assertEquals("nameserver 192.0.2.53\n", Files.readString(p.resolvConf()));
    assertEquals("pod1\n", Files.readString(p.hostname()));
    assertTrue(Files.readString(p.hosts()).contains("10.1.2.3\tpod1\n"));

    PodFiles.Paths q = files.write(dir.resolve("pod2"),
        DNSConfig.newBuilder().addServers("10.96.0.10").build(), "", "node1", true);
    assertEquals("nameserver 10.96.0.10\n", Files.readString(q.resolvConf()));
    assertEquals("127.0.0.1 localhost node1\n", Files.readString(q.hosts()), "host network: the node's hosts file");
  }
}
