package io.berth.server.image.registry;

import java.net.URI;

/**
 * One place to fetch a repository from: a mirror or the registry itself. {@code base} is the API
 * root ending in {@code /v2/}. {@code httpFallback}: the endpoint is on loopback with no explicit
 * plain_http, so if HTTPS fails berth retries it over plain HTTP, as Docker does for local
 * registries.
 */
public record RegistryEndpoint(String host, URI base, boolean mirror, boolean httpFallback,
    TlsSettings tls, Credentials configCredentials) {

  public URI resolve(String path) {
    return base.resolve(path);
  }

  /** The same endpoint over plain HTTP (same host and port). */
  public RegistryEndpoint overPlainHttp() {
    URI http = URI.create("http://" + base.getRawAuthority() + base.getRawPath());
    return new RegistryEndpoint(host, http, mirror, false, tls, configCredentials);
  }

  @Override
  public String toString() {
    return base.toString();
  }
}
