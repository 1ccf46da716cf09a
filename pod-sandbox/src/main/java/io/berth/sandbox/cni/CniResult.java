package io.berth.sandbox.cni;

import java.util.List;

/**
 * The parts of a CNI ADD result (spec section "Success") the runtime uses. Indexes in
 * {@link IpConfig#interfaceIndex()} point into {@link #interfaces()}; -1 when the plugin gave none.
 */
public record CniResult(String cniVersion, List<Interface> interfaces, List<IpConfig> ips,
    List<Route> routes, Dns dns) {
  public CniResult {
    interfaces = List.copyOf(interfaces);
    ips = List.copyOf(ips);
    routes = List.copyOf(routes);
  }

  /** @param sandbox the netns path for interfaces inside the pod; empty for host-side ones */
  public record Interface(String name, String mac, String sandbox) {}

  /** @param address CIDR form, for example 10.1.2.3/24 */
  public record IpConfig(String address, String gateway, int interfaceIndex) {
    /** The address without its prefix length. */
    public String ip() {
      int slash = address.indexOf('/');
      return slash < 0 ? address : address.substring(0, slash);
    }

    public boolean isIpv4() {
      return ip().indexOf(':') < 0;
    }
  }

  public record Route(String dst, String gw) {}

  public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
    public Dns {
      nameservers = List.copyOf(nameservers);
      search = List.copyOf(search);
      options = List.copyOf(options);
    }

    public static Dns empty() {
      return new Dns(List.of(), "", List.of(), List.of());
    }
  }
}
