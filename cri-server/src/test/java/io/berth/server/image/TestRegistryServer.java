package io.berth.server.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry front end on 127.0.0.1 for tests, written with com.sun.net.httpserver: it serves
 * {@code /v2/...} either from an in-memory map (unit tests) or by forwarding to a real registry
 * (integration tests: the token-auth fixture in front of docker-registry), and can demand
 * authentication like Docker Hub does: the Bearer token flow with its own {@code /token} endpoint
 * (Basic credentials, OAuth2 refresh tokens), or plain Basic. It records every request, so tests
 * can count blob downloads, and can stall a path to exercise the stall timeout.
 */
public final class TestRegistryServer implements AutoCloseable {
  public enum Auth { NONE, BASIC, BEARER }

  /** One request as seen: method, path, and the Authorization header (if any). */
  public record Request(String method, String path, String authorization) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-registry");
    t.setDaemon(true);
    return t;
  });
  private final Auth auth;
  private final String user;
  private final String password;
  private final URI upstream;
  private final HttpClient client;
  private final Map<String, byte[]> content = new ConcurrentHashMap<>();
  private final Map<String, String> contentTypes = new ConcurrentHashMap<>();
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> tokenScopes = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private volatile String stallPath;
  private volatile long stallAfterBytes;
  private volatile int tokenLifetimeSeconds = 300;
  private volatile long bytesPerSecond;

  private TestRegistryServer(Auth auth, String user, String password, URI upstream) throws IOException {
    this.auth = auth;
    this.user = user;
    this.password = password;
    this.upstream = upstream;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Serves what {@link #put} stores. */
  public static TestRegistryServer inMemory(Auth auth, String user, String password) throws IOException {
    return new TestRegistryServer(auth, user, password, null);
  }

  /** Forwards authenticated requests to a plain-HTTP registry at {@code upstream}. */
  public static TestRegistryServer proxy(URI upstream, Auth auth, String user, String password) throws IOException {
    return new TestRegistryServer(auth, user, password, upstream);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  public String url() {
    return "http://" + hostPort();
  }

  /** Stores a manifest or blob under {@code /v2/<path>} (e.g. {@code app/manifests/latest}). */
  public void put(String path, byte[] body, String contentType) {
    content.put("/v2/" + path, body.clone());
    if (contentType != null) {
      contentTypes.put("/v2/" + path, contentType);
    }
  }

  /** Answers {@code /v2/<path>} with a 307 to {@code location}. */
  public void redirect(String path, String location) {
    redirects.put("/v2/" + path, location);
  }

  /** Sends the first {@code bytes} of {@code /v2/<path>}'s body, then nothing (the connection stays open). */
  public void stall(String path, long bytes) {
    this.stallPath = "/v2/" + path;
    this.stallAfterBytes = bytes;
  }

  /** Limits forwarded blob bodies to about this rate (0: unlimited), so a pull takes a while. */
  public void throttle(long rate) {
    this.bytesPerSecond = rate;
  }

  public void tokenLifetime(int seconds) {
    this.tokenLifetimeSeconds = seconds;
  }

  /** An OAuth2 refresh token the token endpoint accepts (the CRI identity_token). */
  public String issueRefreshToken() {
    String t = random();
    refreshTokens.put(t, user);
    return t;
  }

  /** A bearer token valid for {@code scope} without the token flow (the CRI registry_token). */
  public String issueAccessToken(String scope) {
    String t = random();
    tokens.put(t, Instant.now().plusSeconds(tokenLifetimeSeconds));
    tokenScopes.put(t, scope);
    return t;
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  public long count(String method, String pathSuffix) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix)).count();
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization")));
      byte[] requestBody = ex.getRequestBody().readAllBytes();
      if (path.equals("/token")) {
        token(ex, new String(requestBody, StandardCharsets.UTF_8));
        return;
      }
      if (!path.startsWith("/v2/")) {
        send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!authorized(ex, path)) {
        return;
      }
      String location = redirects.get(path);
      if (location != null) {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(307, -1);
        return;
      }
      if (upstream != null) {
        forward(ex, path);
      } else {
        serve(ex, path);
      }
    } catch (IOException | RuntimeException e) {
      // the client went away (stall tests close early): nothing to answer
    }
  }

  private boolean authorized(HttpExchange ex, String path) throws IOException {
    if (auth == Auth.NONE) {
      return true;
    }
    String header = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
    String repo = repository(path);
    String scope = "repository:" + repo + ":pull";
    if (auth == Auth.BASIC) {
      if (header.equals(basic(user, password))) {
        return true;
      }
      ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"berth-test\"");
    } else {
      if (header.startsWith("Bearer ")) {
        String t = header.substring(7);
        Instant exp = tokens.get(t);
        if (exp != null && exp.isAfter(Instant.now()) && tokenScopes.getOrDefault(t, "").contains(scope)) {
          return true;
        }
      }
      ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + url() + "/token\",service=\"berth-test\""
          + (repo.isEmpty() ? "" : ",scope=\"" + scope + "\""));
    }
    send(ex, 401, "application/json",
        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8));
    return false;
  }

  private void token(HttpExchange ex, String body) throws IOException {
    tokenRequests.incrementAndGet();
    boolean post = ex.getRequestMethod().equals("POST");
    Map<String, List<String>> q = query(post ? body : ex.getRequestURI().getRawQuery());
    boolean ok;
    if (post) {
      // OAuth2 refresh-token grant (what an identity token is exchanged through)
      List<String> refresh = q.getOrDefault("refresh_token", List.of());
      ok = q.getOrDefault("grant_type", List.of()).contains("refresh_token") && !refresh.isEmpty()
          && refreshTokens.containsKey(refresh.get(0));
    } else {
      String header = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
      ok = user == null || header.equals(basic(user, password));
    }
    if (!ok) {
      send(ex, 401, "application/json", "{\"details\":\"bad credentials\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String scope = String.join(" ", q.getOrDefault("scope", List.of()));
    String t = random();
    tokens.put(t, Instant.now().plusSeconds(tokenLifetimeSeconds));
    tokenScopes.put(t, scope);
    String field = post ? "access_token" : "token";
    send(ex, 200, "application/json", ("{\"" + field + "\":\"" + t + "\",\"expires_in\":" + tokenLifetimeSeconds
        + "}").getBytes(StandardCharsets.UTF_8));
  }

  private void serve(HttpExchange ex, String path) throws IOException {
    byte[] body = content.get(path);
    if (body == null) {
      String code = path.contains("/manifests/") ? "MANIFEST_UNKNOWN" : "BLOB_UNKNOWN";
      send(ex, 404, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"unknown\"}]}")
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    String type = contentTypes.getOrDefault(path, "application/octet-stream");
    if (path.equals(stallPath)) {
      ex.getResponseHeaders().add("Content-Type", type);
      ex.sendResponseHeaders(200, body.length);
      OutputStream out = ex.getResponseBody();
      out.write(body, 0, (int) Math.min(stallAfterBytes, body.length));
      out.flush();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    send(ex, 200, type, body);
  }

  private void forward(HttpExchange ex, String path) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())))
        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
    String accept = ex.getRequestHeaders().getFirst("Accept");
    if (accept != null) {
      b.header("Accept", accept);
    }
    HttpResponse<InputStream> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    for (String h : List.of("Content-Type", "Docker-Content-Digest", "Location", "Docker-Distribution-Api-Version")) {
      r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
    }
    long length = r.headers().firstValueAsLong("Content-Length").orElse(0);
    try (InputStream in = r.body()) {
      if (ex.getRequestMethod().equals("HEAD") || length == 0 && r.statusCode() != 200) {
        ex.sendResponseHeaders(r.statusCode(), -1);
        return;
      }
      ex.sendResponseHeaders(r.statusCode(), length == 0 ? -1 : length);
      if (length != 0) {
        copy(in, ex.getResponseBody(), path.contains("/blobs/") ? bytesPerSecond : 0);
      }
    }
  }

  private static void copy(InputStream in, OutputStream out, long rate) throws IOException {
    if (rate <= 0) {
      in.transferTo(out);
      return;
    }
    byte[] buf = new byte[16 << 10];
    long start = System.nanoTime();
    long sent = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
      sent += n;
      long due = start + sent * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
      }
    }
  }

  private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  private static String repository(String path) {
    String rest = path.substring("/v2/".length());
    for (String marker : List.of("/manifests/", "/blobs/", "/tags/")) {
      int i = rest.indexOf(marker);
      if (i >= 0) {
        return rest.substring(0, i);
      }
    }
    return "";
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String random() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
