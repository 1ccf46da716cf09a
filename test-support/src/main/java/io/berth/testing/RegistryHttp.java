package io.berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The registry HTTP API v2 as the test fixtures use it, on {@code java.net.http}: Basic auth sent
 * up front, a custom CA for TLS registries, HTTP/1.1 only (the registry speaks nothing else in
 * plain text). Not a pull client: berth has its own; this one pushes the test images and reads
 * them back to check them.
 */
public final class RegistryHttp {
  private final URI base;
  private final Optional<RegistryCredentials> credentials;
  private final HttpClient client;

  /** A manifest as the registry served it. */
  public record FetchedManifest(String contentType, byte[] bytes, Optional<String> dockerContentDigest) {
    public Digest digest() {
      return Digest.of(bytes);
    }

    public com.fasterxml.jackson.databind.JsonNode bytesAsJson() throws IOException {
      return Json.mapper().readTree(bytes);
    }
  }

  /**
   * @param base {@code http://127.0.0.1:PORT} or {@code https://...}
   * @param tls the client context trusting the registry's CA; empty for plain HTTP or public CAs
   */
  public RegistryHttp(URI base, Optional<RegistryCredentials> credentials, Optional<SSLContext> tls) {
    this.base = base;
    this.credentials = credentials;
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL);
    tls.ifPresent(b::sslContext);
    this.client = b.build();
  }

  public URI base() {
    return base;
  }

  /** The same registry with other credentials (or none), e.g. to check that it refuses anonymous pushes. */
  public RegistryHttp withCredentials(Optional<RegistryCredentials> other, Optional<SSLContext> tls) {
    return new RegistryHttp(base, other, tls);
  }

  public URI uri(String pathAndQuery) {
    return base.resolve(pathAndQuery);
  }

  /** Sends with this client's credentials; any status is returned. */
  public HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException {
    credentials.ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
    request.timeout(Duration.ofMinutes(5));
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Sends and insists on one of {@code expected}, else {@link RegistryHttpException}. */
  public HttpResponse<byte[]> expect(HttpRequest.Builder request, int... expected) throws IOException {
    HttpRequest built = request.copy().build();
    HttpResponse<byte[]> r = send(request);
    for (int e : expected) {
      if (r.statusCode() == e) {
        return r;
      }
    }
    throw new RegistryHttpException(built.method() + " " + built.uri(), r.statusCode(),
        new String(r.body(), StandardCharsets.UTF_8));
  }

  /** GET /v2/: 200 when reachable (and authorised), 401 when credentials are needed. */
  public int ping() throws IOException {
    return send(HttpRequest.newBuilder(uri("/v2/")).GET()).statusCode();
  }

  public FetchedManifest fetchManifest(String repo, String reference, String... accept) throws IOException {
    HttpRequest.Builder req = HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + reference)).GET();
    for (String a : accept) {
      req.header("Accept", a);
    }
    HttpResponse<byte[]> r = expect(req, 200);
    return new FetchedManifest(r.headers().firstValue("Content-Type").orElse(""), r.body(),
        r.headers().firstValue("Docker-Content-Digest"));
  }

  public byte[] fetchBlob(String repo, Digest digest) throws IOException {
    return expect(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/" + digest)).GET(), 200).body();
  }

  public boolean hasBlob(String repo, Digest digest) throws IOException {
    int code = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/" + digest))
        .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode();
    if (code != 200 && code != 404) {
      throw new RegistryHttpException("HEAD blob " + digest + " in " + repo, code, "");
    }
    return code == 200;
  }
}
