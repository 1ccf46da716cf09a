package io.berth.sandbox.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CniResultParserTest {
  private final ObjectMapper json = new ObjectMapper();

  static final String BRIDGE_RESULT = "{\"cniVersion\":\"1.0.0\","
      + "\"interfaces\":[{\"name\":\"cni0\",\"mac\":\"aa:aa:aa:aa:aa:01\"},"
      + "{\"name\":\"veth1234\",\"mac\":\"aa:aa:aa:aa:aa:02\"},"
      + "{\"name\":\"eth0\",\"mac\":\"aa:aa:aa:aa:aa:03\",\"sandbox\":\"/run/berth/pins/x/net\"}],"
      + "\"ips\":[{\"address\":\"fd00:10::5/64\",\"gateway\":\"fd00:10::1\",\"interface\":2},"
      + "{\"address\":\"10.22.0.5/24\",\"gateway\":\"10.22.0.1\",\"interface\":2},"
      + "{\"address\":\"10.22.0.1/24\",\"interface\":0}],"
      + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.22.0.1\"}],"
      + "\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"domain\":\"cluster.local\",\"search\":[\"svc.cluster.local\"],\"options\":[\"ndots:5\"]}}";

  @Test
  void parsesAVersion1Result() throws Exception {
    CniResult r = CniResultParser.parse(json.readTree(BRIDGE_RESULT));
    assertEquals("1.0.0", r.cniVersion());
    assertEquals(3, r.interfaces().size());
    assertEquals("/run/berth/pins/x/net", r.interfaces().get(2).sandbox());
    assertEquals(3, r.ips().size());
    assertEquals("10.22.0.5", r.ips().get(1).ip());
    assertEquals("10.22.0.1", r.ips().get(1).gateway());
    assertEquals(2, r.ips().get(1).interfaceIndex());
    assertEquals(List.of(new CniResult.Route("0.0.0.0/0", "10.22.0.1")), r.routes());
    assertEquals(new CniResult.Dns(List.of("10.96.0.10"), "cluster.local", List.of("svc.cluster.local"),
        List.of("ndots:5")), r.dns());
  }

  @Test
  void podIpsAreThoseOnEth0InTheSandboxIpv4First() throws Exception {
    CniResult r = CniResultParser.parse(json.readTree(BRIDGE_RESULT));
    assertEquals(List.of("10.22.0.5", "fd00:10::5"), CniResultParser.podIps(r, "eth0"));
  }

  @Test
  void resultsWithoutInterfaceLinksUseAllAddresses() throws Exception {
    CniResult r = CniResultParser.parse(json.readTree(
        "{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\",\"address\":\"10.0.0.7/16\"}]}"));
    assertEquals(List.of("10.0.0.7"), CniResultParser.podIps(r, "eth0"));
  }

  @Test
  void readsLegacyIp4Results() throws Exception {
    CniResult r = CniResultParser.parse(json.readTree(
        "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.1.0.9/16\",\"gateway\":\"10.1.0.1\","
            + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}"));
    assertEquals(List.of("10.1.0.9"), CniResultParser.podIps(r, "eth0"));
    assertEquals(1, r.routes().size());
  }
}
