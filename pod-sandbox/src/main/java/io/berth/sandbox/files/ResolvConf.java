package io.berth.sandbox.files;

import io.berth.cri.v1.DNSConfig;
import io.berth.sandbox.Errors;
import java.util.List;

/** Renders a pod's {@code /etc/resolv.conf} from the CRI DNSConfig (resolv.conf(5) syntax). */
public final class ResolvConf {
  private ResolvConf() {}

  /** True when the config says anything; otherwise the host's file is used (as containerd does). */
  public static boolean hasContent(DNSConfig dns) {
    return dns != null && (dns.getServersCount() + dns.getSearchesCount() + dns.getOptionsCount()) > 0;
  }

  /**
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when an entry is empty or has
   *     whitespace (it would break the line structure of the file)
   */
  public static void validate(DNSConfig dns) {
    check(dns.getServersList(), "config.dns_config.servers");
    check(dns.getSearchesList(), "config.dns_config.searches");
    check(dns.getOptionsList(), "config.dns_config.options");
  }

  public static String render(DNSConfig dns) {
    StringBuilder b = new StringBuilder();
    if (dns.getSearchesCount() > 0) {
      b.append("search ").append(String.join(" ", dns.getSearchesList())).append('\n');
    }
    for (String server : dns.getServersList()) {
      b.append("nameserver ").append(server).append('\n');
    }
    if (dns.getOptionsCount() > 0) {
      b.append("options ").append(String.join(" ", dns.getOptionsList())).append('\n');
    }
    return b.toString();
  }

  private static void check(List<String> values, String field) {
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (v.isEmpty() || v.chars().anyMatch(c -> Character.isWhitespace(c) || c == 0)) {
        throw Errors.invalidArgument(field + "[" + i + "]: \"" + v + "\" must be non-empty without whitespace");
      }
    }
  }
}
