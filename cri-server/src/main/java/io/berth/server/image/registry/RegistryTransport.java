package io.berth.server.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.server.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * HTTP to registries on java.net.http: one client per TLS setting, HTTP/1.1, redirects followed
 * here (so the Authorization header never follows a blob redirect to another host), a 401
 * answered once through the {@link RegistryAuthenticator}, loopback registries retried over plain
 * HTTP when HTTPS fails, and every body read through a stall-aware stream.
 */
public final class RegistryTransport {
  private static final int MAX_REDIRECTS = 10;
  private static final int MAX_ERROR_BODY = 64 << 10;
  /**
   * Read buffer of the JDK HTTP client (jdk.httpclient.bufsize, default 16 KiB). Each read from
   * the socket becomes one chunk handed from the selector thread through the client's executor to
   * the body stream, at two thread wake-ups per chunk: with 16 KiB that is ~13,000 chunks for a
   * 210 MB image and about a fifth of the pull's CPU. A read takes whatever the socket holds (the
   * buffer is sliced, not copied), so a larger buffer means fewer, larger chunks. Not larger than
   * 64 KiB: the buffers are garbage once read, and under berthd's small young generation
   * (-Xmn4m) 256 KiB ones in flight were promoted and cost full collections, more than the
   * hand-offs they saved (docs/benchmarks.md section 2). The client reads the property once,
   * when its first instance is built; a value set on the command line wins.
   */
  static final String BUFSIZE_PROPERTY = "jdk.httpclient.bufsize";
  static final int BUFSIZE = 64 << 10;

  private final Duration stallTimeout;
  private final Executor executor;
  private final Map<TlsSettings, HttpClient> clients = new ConcurrentHashMap<>();
  /** Loopback endpoints found to speak plain HTTP, so later requests go there directly. */
  private final Map<URI, RegistryEndpoint> plainHttp = new ConcurrentHashMap<>();
  private final RegistryAuthenticator authenticator;

  public RegistryTransport(Duration stallTimeout, Executor executor) {
    this(stallTimeout, executor, com.github.benmanes.caffeine.cache.Ticker.systemTicker());
  }

  /** With the clock the token cache measures expiry on (tests advance a fake one). */
  RegistryTransport(Duration stallTimeout, Executor executor, com.github.benmanes.caffeine.cache.Ticker ticker) {
    System.getProperties().putIfAbsent(BUFSIZE_PROPERTY, Integer.toString(BUFSIZE));
    this.stallTimeout = stallTimeout;
    this.executor = executor;
    this.authenticator = new RegistryAuthenticator(this::sendRaw, ticker);
  }

  /**
   * GETs {@code path} (relative to the endpoint's /v2/ root) and returns the 200 response with a
   * streaming body; any other outcome is a {@link RegistryException}. The caller closes the body.
   */
  public HttpResponse<InputStream> get(RegistryEndpoint endpoint, String path, Map<String, String> headers,
      String scope, Credentials credentials) throws IOException {
    RegistryEndpoint ep = plainHttp.getOrDefault(endpoint.base(), endpoint);
    try {
      return getAuthenticated(ep, path, headers, scope, credentials);
    } catch (RegistryException e) {
      if (ep.httpFallback() && e.getCause() != null && isTransportFailure(e.getCause())) {
        RegistryEndpoint http = ep.overPlainHttp();
        HttpResponse<InputStream> r;
        try {
          r = getAuthenticated(http, path, headers, scope, credentials);
        } catch (RegistryException plain) {
          if (plain.kind() == RegistryException.Kind.NOT_FOUND || plain.kind() == RegistryException.Kind.UNAUTHORIZED) {
            // A registry speaking plain HTTP answered (401, 404): that answer is the one that matters.
            // (A TLS-only server answers plain HTTP with 400, which says nothing: report both then.)
            plainHttp.put(endpoint.base(), http);
            throw plain;
          }
          // Neither worked: report both; the HTTPS failure (e.g. an untrusted certificate) is usually the real one.
          RegistryException both = new RegistryException(e.kind(), e.getMessage()
              + "; over plain HTTP: " + plain.getMessage(), e);
          both.addSuppressed(plain);
          throw both;
        }
        plainHttp.put(endpoint.base(), http);
        return r;
      }
      throw e;
    }
  }

  private HttpResponse<InputStream> getAuthenticated(RegistryEndpoint ep, String path,
      Map<String, String> headers, String scope, Credentials credentials) throws IOException {
    URI uri = ep.resolve(path);
    Optional<String> auth = authenticator.preemptive(ep, scope, credentials);
    HttpResponse<InputStream> r = exchange(ep, uri, headers, auth.orElse(null));
    if (r.statusCode() == 401) {
      java.util.List<String> challenge = r.headers().allValues("WWW-Authenticate");
      closeQuietly(r);
      if (auth.isPresent()) {
        authenticator.invalidate(ep, scope, credentials);
      }
      String answer = authenticator.answer(ep, challenge, scope, credentials);
      r = exchange(ep, uri, headers, answer);
    }
    if (r.statusCode() == 200) {
      return r;
    }
    throw statusError(r, uri, credentials);
  }

  /** One request, redirects followed; Authorization only goes to the endpoint's own host. */
  private HttpResponse<InputStream> exchange(RegistryEndpoint ep, URI uri, Map<String, String> headers,
      String authorization) throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(current).GET().timeout(stallTimeout)
          .header("User-Agent", "berth");
      headers.forEach(b::header);
      if (authorization != null && sameOrigin(current, ep.base())) {
        b.header("Authorization", authorization);
      }
      HttpResponse<InputStream> r = sendRaw(ep, b.build());
      int code = r.statusCode();
      if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
        Optional<String> location = r.headers().firstValue("Location");
        closeQuietly(r);
        if (location.isEmpty()) {
          throw new RegistryException(RegistryException.Kind.PROTOCOL, current + " redirected without Location");
        }
        current = current.resolve(location.get());
        continue;
      }
      return r;
    }
    throw new RegistryException(RegistryException.Kind.PROTOCOL, uri + " redirected more than " + MAX_REDIRECTS + " times");
  }

  private HttpResponse<InputStream> sendRaw(RegistryEndpoint ep, HttpRequest request) throws IOException {
    HttpClient client = client(ep.tls());
    try {
      return client.send(request, StreamingBody.handler(stallTimeout, request.uri()));
    } catch (HttpConnectTimeoutException e) {
      throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot connect to " + request.uri().getAuthority()
          + " within " + StreamingBody.human(stallTimeout), e);
    } catch (HttpTimeoutException e) {
      throw new RegistryException(RegistryException.Kind.STALLED, "no response from " + request.uri() + " for "
          + StreamingBody.human(stallTimeout) + " (stall timeout)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("request to " + request.uri() + " interrupted");
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot reach " + request.uri().getScheme()
          + "://" + request.uri().getAuthority() + ": " + describe(e), e);
    }
  }

  private HttpClient client(TlsSettings tls) throws IOException {
    HttpClient c = clients.get(tls);
    if (c == null) {
      c = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(stallTimeout)
          .sslContext(tls.sslContext())
          .executor(executor)
          .build();
      HttpClient raced = clients.putIfAbsent(tls, c);
      if (raced != null) {
        c = raced;
      }
    }
    return c;
  }

  private RegistryException statusError(HttpResponse<InputStream> r, URI uri, Credentials credentials) {
    int code = r.statusCode();
    String detail = errorDetail(r);
    closeQuietly(r);
    String where = uri.getAuthority() + uri.getPath();
    if (code == 404) {
      return new RegistryException(RegistryException.Kind.NOT_FOUND, where + ": not found" + detail);
    }
    if (code == 401 || code == 403) {
      return new RegistryException(RegistryException.Kind.UNAUTHORIZED, where + ": access denied for "
          + credentials + " (HTTP " + code + ")" + detail);
    }
    if (code == 429 || code >= 500) {
      return new RegistryException(RegistryException.Kind.UNAVAILABLE, where + ": HTTP " + code + detail);
    }
    return new RegistryException(RegistryException.Kind.PROTOCOL, where + ": unexpected HTTP " + code + detail);
  }

  /** The distribution error body, e.g. " (MANIFEST_UNKNOWN: manifest unknown)". */
  private String errorDetail(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      byte[] body = in.readNBytes(MAX_ERROR_BODY);
      JsonNode errors = Json.mapper().readTree(body).path("errors");
      if (errors.isArray() && errors.size() > 0) {
        JsonNode e = errors.get(0);
        return " (" + e.path("code").asText("?") + ": " + e.path("message").asText("") + ")";
      }
    } catch (IOException | RuntimeException e) {
      // no usable error body
    }
    return "";
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /**
   * Whether HTTPS failed below HTTP (TLS handshake, connection, timeout): then a loopback endpoint
   * is retried over plain HTTP. An HTTP status from the server is not such a failure.
   */
  private static boolean isTransportFailure(Throwable t) {
    return t instanceof IOException && !(t instanceof RegistryException);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** Reads a small leftover body to its end (so the connection is reused) and closes it. */
  static void closeQuietly(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.readNBytes(MAX_ERROR_BODY);
    } catch (IOException e) {
      // nothing to do
    }
  }
}
