package io.berth.sandbox.cni;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CNI results. Versions 0.3.0 to 1.0.0 share one shape ({@code interfaces}, {@code ips},
 * {@code routes}, {@code dns}); 0.1.0/0.2.0 results ({@code ip4}/{@code ip6}) are read into the same
 * record so an old single-plugin config still yields the pod IP.
 */
public final class CniResultParser {
  private CniResultParser() {}

  public static CniResult parse(JsonNode r) {
    if (r == null || !r.isObject()) {
      throw new IllegalArgumentException("CNI result is not a JSON object");
    }
    String version = r.path("cniVersion").asText("");
    List<CniResult.Interface> interfaces = new ArrayList<>();
    for (JsonNode i : r.path("interfaces")) {
      interfaces.add(new CniResult.Interface(i.path("name").asText(""), i.path("mac").asText(""),
          i.path("sandbox").asText("")));
    }
    List<CniResult.IpConfig> ips = new ArrayList<>();
    List<CniResult.Route> routes = new ArrayList<>();
    for (JsonNode ip : r.path("ips")) {
      String address = ip.path("address").asText("");
      if (address.isEmpty()) {
        throw new IllegalArgumentException("CNI result has an ips entry without address");
      }
      int index = ip.has("interface") ? ip.get("interface").asInt(-1) : -1;
      ips.add(new CniResult.IpConfig(address, ip.path("gateway").asText(""), index));
    }
    for (String legacy : List.of("ip4", "ip6")) {
      JsonNode old = r.get(legacy);
      if (old != null && old.has("ip")) {
        ips.add(new CniResult.IpConfig(old.get("ip").asText(), old.path("gateway").asText(""), -1));
        for (JsonNode route : old.path("routes")) {
          routes.add(new CniResult.Route(route.path("dst").asText(""), route.path("gw").asText("")));
        }
      }
    }
    for (JsonNode route : r.path("routes")) {
      routes.add(new CniResult.Route(route.path("dst").asText(""), route.path("gw").asText("")));
    }
    JsonNode d = r.path("dns");
    CniResult.Dns dns = new CniResult.Dns(strings(d.path("nameservers")), d.path("domain").asText(""),
        strings(d.path("search")), strings(d.path("options")));
    return new CniResult(version, interfaces, ips, routes, dns);
  }

  /**
   * The pod's addresses: those on interface {@code ifName} inside the sandbox, or (when the
   * result links no interfaces, as old plugins do) all of them. The first IPv4 address comes first,
   * as kubelet takes the first entry as the primary pod IP.
   */
  public static List<String> podIps(CniResult result, String ifName) {
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    for (CniResult.IpConfig ip : result.ips()) {
      int idx = ip.interfaceIndex();
      if (idx >= 0 && idx < result.interfaces().size()) {
        CniResult.Interface itf = result.interfaces().get(idx);
        if (!itf.name().equals(ifName) || itf.sandbox().isEmpty()) {
          continue;
        }
      }
      (ip.isIpv4() ? v4 : v6).add(ip.ip());
    }
    List<String> out = new ArrayList<>(v4);
    out.addAll(v6);
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.asText());
    }
    return out;
  }
}
