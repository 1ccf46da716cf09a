package io.berth.server.image.registry;

import io.berth.server.config.BerthConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where to fetch a registry's repositories from, like containerd's hosts.toml: the configured
 * mirrors in order, then the registry itself ({@code docker.io} is served by
 * {@code registry-1.docker.io}). A mirror URL's scheme says HTTP or HTTPS; its path, if any, is
 * the prefix of the API root ({@code /v2/} is appended). TLS and credentials for an endpoint come
 * from the config entry of the endpoint's own host, else from the registry's entry.
 */
public final class RegistryHosts {
  private final Map<String, BerthConfig.RegistryHost> hosts;

  public RegistryHosts(Map<String, BerthConfig.RegistryHost> hosts) {
    this.hosts = hosts == null ? Map.of() : Map.copyOf(hosts);
  }

  public List<RegistryEndpoint> endpoints(String registry) {
    List<RegistryEndpoint> out = new ArrayList<>();
    BerthConfig.RegistryHost entry = hosts.get(registry);
    if (entry != null && entry.mirrors() != null) {
      for (String m : entry.mirrors()) {
        URI uri = URI.create(m);
        String authority = uri.getRawAuthority();
        BerthConfig.RegistryHost own = hosts.getOrDefault(authority, entry);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        if (path.endsWith("/v2")) {
          path = path.substring(0, path.length() - 3);
        }
        URI base = URI.create(uri.getScheme() + "://" + authority + path + "/v2/");
        out.add(new RegistryEndpoint(authority, base, true, false, tls(own), credentials(own)));
      }
    }
    String host = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    Boolean plain = entry == null ? null : entry.plainHttp();
    boolean loopback = isLoopback(host);
    String scheme = Boolean.TRUE.equals(plain) ? "http" : "https";
    boolean fallback = plain == null && loopback;
    out.add(new RegistryEndpoint(registry, URI.create(scheme + "://" + host + "/v2/"), false, fallback,
        tls(entry), credentials(entry)));
    return out;
  }

  /** Credentials from the config for a registry host (used when the CRI request has none). */
  private static Credentials credentials(BerthConfig.RegistryHost h) {
    if (h == null) {
      return Credentials.ANONYMOUS;
    }
    return Credentials.of(h.username(), h.password(), h.auth(), null, null);
  }

  private static TlsSettings tls(BerthConfig.RegistryHost h) {
    if (h == null) {
      return TlsSettings.DEFAULT;
    }
    return new TlsSettings(h.caFile() == null ? null : Path.of(h.caFile()), Boolean.TRUE.equals(h.skipVerify()));
  }

  /** 127.0.0.0/8, ::1 and localhost, with or without a port: no DNS lookup is made. */
  public static boolean isLoopback(String hostPort) {
    String h = hostPort.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      String ip = close < 0 ? h.substring(1) : h.substring(1, close);
      return ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1");
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
      h = h.substring(0, colon);
    }
    if (h.equals("localhost") || h.equals("::1")) {
      return true;
    }
    String[] parts = h.split("\\.");
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
