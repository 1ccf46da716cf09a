package io.berth.sandbox.files;

/** Renders a pod's {@code /etc/hosts}: the usual localhost lines plus the pod's IP and hostname. */
public final class HostsFile {
  private HostsFile() {}

  static final String LOCALHOST = String.join("\n",
      "127.0.0.1\tlocalhost",
      "::1\tlocalhost ip6-localhost ip6-loopback",
      "fe00::0\tip6-localnet",
      "fe00::0\tip6-mcastprefix",
      "fe00::1\tip6-allnodes",
      "fe00::2\tip6-allrouters",
      "");

  /** @param podIp empty when the pod has no address (then only the localhost lines) */
  public static String render(String podIp, String hostname) {
    StringBuilder b = new StringBuilder(LOCALHOST);
    if (podIp != null && !podIp.isEmpty() && hostname != null && !hostname.isEmpty()) {
      b.append(podIp).append('\t').append(hostname).append('\n');
    }
    return b.toString();
  }
}
