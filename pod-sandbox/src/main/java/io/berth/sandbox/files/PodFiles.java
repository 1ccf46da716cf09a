package io.berth.sandbox.files;

import io.berth.cri.v1.DNSConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the files every container of a pod mounts: {@code resolv.conf}, {@code hosts} and
 * {@code hostname}, in the pod's own directory.
 *
 * <p>Plain writes, not atomic ones: the files are derived from the sandbox record, are written
 * before the sandbox becomes READY, and a sandbox whose creation was interrupted is torn down.
 */
public final class PodFiles {
  /** Where a pod's files are; containers bind-mount them. */
  public record Paths(Path resolvConf, Path hosts, Path hostname) {
    public static Paths in(Path dir) {
      return new Paths(dir.resolve("resolv.conf"), dir.resolve("hosts"), dir.resolve("hostname"));
    }
  }

  private final Path hostResolvConf;
  private final Path hostHosts;

  /** @param hostResolvConf copied when the pod has no DNS config; @param hostHosts copied for host-network pods */
  public PodFiles(Path hostResolvConf, Path hostHosts) {
    this.hostResolvConf = hostResolvConf;
    this.hostHosts = hostHosts;
  }

  public Paths write(Path dir, DNSConfig dns, String podIp, String hostname, boolean hostNetwork)
      throws IOException {
    Files.createDirectories(dir);
    Paths p = Paths.in(dir);
    if (dns != null && ResolvConf.hasContent(dns)) {
      Files.writeString(p.resolvConf(), ResolvConf.render(dns));
    } else {
      copyOrEmpty(hostResolvConf, p.resolvConf());
    }
    if (hostNetwork) {
      copyOrEmpty(hostHosts, p.hosts());
    } else {
      Files.writeString(p.hosts(), HostsFile.render(podIp, hostname));
    }
    Files.writeString(p.hostname(), hostname + "\n");
    return p;
  }

  private static void copyOrEmpty(Path from, Path to) throws IOException {
    // Read then write: /etc/resolv.conf is often a symlink into /run that must not be copied as one.
    byte[] content = Files.isReadable(from) ? Files.readAllBytes(from) : new byte[0];
    Files.write(to, content);
  }
}
