package io.berth.server.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.server.image.TestRegistryServer;
import io.berth.server.image.TestRegistryServer.Auth;
import io.berth.server.image.manifest.Descriptor;
import io.berth.server.image.manifest.MediaTypes;
import io.berth.server.image.reference.Digest;
import io.berth.server.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry client against an in-process registry: auth flows, mirrors, fallbacks, stalls, redirects. */
class RegistryClientTest {
  private static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BLOB = "layer bytes".repeat(1000).getBytes(StandardCharsets.UTF_8);

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final RegistryTransport transport = new RegistryTransport(Duration.ofSeconds(2), executor);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private static TestRegistryServer serving(TestRegistryServer s) {
    s.put("app/manifests/v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    s.put("app/blobs/" + Digest.sha256(BLOB), BLOB, null);
    return s;
  }

  private static RegistryEndpoint endpoint(String url, boolean mirror, Credentials config) {
    URI base = URI.create(url + "/v2/");
    return new RegistryEndpoint(base.getRawAuthority(), base, mirror, false, TlsSettings.DEFAULT, config);
  }

  private RegistryClient client(TestRegistryServer s, Credentials request) {
    ImageReference ref = ImageReference.parse(s.hostPort() + "/app:v1");
    return new RegistryClient(transport, ref, List.of(endpoint(s.url(), false, Credentials.ANONYMOUS)),
        new RegistryClient.RequestCredentials(request, ""));
  }

  private static Descriptor blob() {
    return new Descriptor("", Digest.sha256(BLOB), BLOB.length);
  }

  @Test
  void anonymousManifestAndBlob() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.NONE, null, null))) {
      RegistryClient c = client(s, Credentials.ANONYMOUS);
      FetchedManifest m = c.resolve();
      assertArrayEquals(MANIFEST, m.body());
      assertEquals(MediaTypes.OCI_MANIFEST, m.contentType());
      assertEquals(Digest.sha256(MANIFEST), m.digest());
      try (InputStream in = c.blob(blob())) {
        assertArrayEquals(BLOB, in.readAllBytes());
      }
      String accept = MediaTypes.acceptHeader();
      assertTrue(accept.contains(MediaTypes.OCI_INDEX) && accept.contains(MediaTypes.DOCKER_MANIFEST));
    }
  }

  @Test
  void bearerTokenFlowWithBasicCredentialsAndTokenCache() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BEARER, "alice", "s3cret"))) {
      RegistryClient c = client(s, new Credentials.Basic("alice", "s3cret"));
      c.resolve();
      c.resolve();
      try (InputStream in = c.blob(blob())) {
        in.readAllBytes();
      }
      assertEquals(1, s.tokenRequests(), "one token for the repository scope, reused until it expires");
      assertEquals(3, s.count("GET", "/manifests/v1"), "401 + retry, then the cached token is sent up front");
      TestRegistryServer.Request tokenRequest = s.requests().stream()
          .filter(r -> r.path().equals("/token")).findFirst().orElseThrow();
      assertTrue(tokenRequest.authorization().startsWith("Basic "), "credentials go to the token endpoint");
    }
  }

  @Test
  void bearerTokenFlowAnonymous() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BEARER, null, null))) {
      assertArrayEquals(MANIFEST, client(s, Credentials.ANONYMOUS).resolve().body());
      assertNull(s.requests().stream().filter(r -> r.path().equals("/token")).findFirst().orElseThrow().authorization());
    }
  }

  @Test
  void wrongPasswordIsUnauthorized() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BEARER, "alice", "s3cret"))) {
      RegistryException e = assertThrows(RegistryException.class,
          () -> client(s, new Credentials.Basic("alice", "wrong")).resolve());
      assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
      assertTrue(e.getMessage().contains("refused basic(alice)"), e.getMessage());
    }
  }

  @Test
  void cachedTokensExpire() throws IOException {
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    RegistryTransport clocked = new RegistryTransport(Duration.ofSeconds(2), executor, nanos::get);
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BEARER, null, null))) {
      s.tokenLifetime(120);
      ImageReference ref = ImageReference.parse(s.hostPort() + "/app:v1");
      RegistryClient c = new RegistryClient(clocked, ref, List.of(endpoint(s.url(), false, Credentials.ANONYMOUS)),
          RegistryClient.RequestCredentials.NONE);
      c.resolve();
      nanos.addAndGet(Duration.ofSeconds(100).toNanos());
      c.resolve();
      assertEquals(1, s.tokenRequests(), "still valid after 100 s of 120");
      nanos.addAndGet(Duration.ofSeconds(15).toNanos());
      c.resolve();
      assertEquals(2, s.tokenRequests(), "renewed once within 10 s of expiry");
      assertEquals(4, s.count("GET", "/manifests/v1"), "the expired token was not sent: no extra 401 round trip");
    }
  }

  @Test
  void identityTokenIsExchangedThroughOAuth2() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BEARER, "alice", "s3cret"))) {
      String refresh = s.issueRefreshToken();
      assertArrayEquals(MANIFEST, client(s, new Credentials.IdentityToken(refresh)).resolve().body());
      assertEquals(1, s.count("POST", "/token"));
    }
  }

  @Test
  void registryTokenIsUsedAsTheBearerToken() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BEARER, "alice", "s3cret"))) {
      String token = s.issueAccessToken("repository:app:pull");
      assertArrayEquals(MANIFEST, client(s, new Credentials.RegistryToken(token)).resolve().body());
      assertEquals(0, s.tokenRequests());
      assertEquals(1, s.count("GET", "/manifests/v1"), "no 401 round trip");
    }
  }

  @Test
  void basicAuthAndMissingCredentials() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BASIC, "bob", "pw"))) {
      assertArrayEquals(MANIFEST, client(s, new Credentials.Basic("bob", "pw")).resolve().body());
      RegistryException e = assertThrows(RegistryException.class, () -> client(s, Credentials.ANONYMOUS).resolve());
      assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    }
  }

  @Test
  void configCredentialsApplyWhenTheRequestHasNone() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BASIC, "bob", "pw"))) {
      ImageReference ref = ImageReference.parse(s.hostPort() + "/app:v1");
      RegistryClient c = new RegistryClient(transport, ref,
          List.of(endpoint(s.url(), false, new Credentials.Basic("bob", "pw"))), RegistryClient.RequestCredentials.NONE);
      assertArrayEquals(MANIFEST, c.resolve().body());
    }
  }

  @Test
  void aFailingMirrorFallsBackToTheNextEndpoint() throws IOException {
    try (TestRegistryServer empty = TestRegistryServer.inMemory(Auth.NONE, null, null);
        TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.NONE, null, null))) {
      ImageReference ref = ImageReference.parse("registry.example/app:v1");
      RegistryClient c = new RegistryClient(transport, ref, List.of(
          endpoint("http://127.0.0.1:1", true, Credentials.ANONYMOUS),
          endpoint(empty.url(), true, Credentials.ANONYMOUS),
          endpoint(s.url(), false, Credentials.ANONYMOUS)), RegistryClient.RequestCredentials.NONE);
      FetchedManifest m = c.resolve();
      assertEquals(s.url() + "/v2/", m.endpoint().base().toString());
      try (InputStream in = c.blob(blob())) {
        assertArrayEquals(BLOB, in.readAllBytes());
      }
      assertEquals(0, empty.count("GET", "/blobs/" + Digest.sha256(BLOB)), "blobs come from the endpoint that served the manifest");
    }
  }

  @Test
  void notFoundEverywhereIsNotFoundNamingEachEndpoint() throws IOException {
    try (TestRegistryServer a = TestRegistryServer.inMemory(Auth.NONE, null, null)) {
      ImageReference ref = ImageReference.parse("registry.example/app:missing");
      RegistryClient c = new RegistryClient(transport, ref, List.of(endpoint(a.url(), true, Credentials.ANONYMOUS),
          endpoint("http://127.0.0.1:1", false, Credentials.ANONYMOUS)), RegistryClient.RequestCredentials.NONE);
      RegistryException e = assertThrows(RegistryException.class, c::resolve);
      assertEquals(RegistryException.Kind.NOT_FOUND, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("MANIFEST_UNKNOWN") && e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }
  }

  @Test
  void loopbackHttpsFallsBackToPlainHttp() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.NONE, null, null))) {
      ImageReference ref = ImageReference.parse(s.hostPort() + "/app:v1");
      RegistryEndpoint ep = new RegistryHosts(java.util.Map.of()).endpoints(s.hostPort()).get(0);
      assertTrue(ep.base().toString().startsWith("https://") && ep.httpFallback());
      RegistryClient c = new RegistryClient(transport, ref, List.of(ep), RegistryClient.RequestCredentials.NONE);
      assertArrayEquals(MANIFEST, c.resolve().body());
      assertArrayEquals(MANIFEST, c.resolve().body());
    }
  }

  @Test
  void aStalledBodyIsCancelledWithAClearError() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.NONE, null, null))) {
      s.stall("app/blobs/" + Digest.sha256(BLOB), 100);
      RegistryTransport quick = new RegistryTransport(Duration.ofMillis(300), executor);
      ImageReference ref = ImageReference.parse(s.hostPort() + "/app:v1");
      RegistryClient c = new RegistryClient(quick, ref, List.of(endpoint(s.url(), false, Credentials.ANONYMOUS)),
          RegistryClient.RequestCredentials.NONE);
      try (InputStream in = c.blob(blob())) {
        StallingBodyException e = assertThrows(StallingBodyException.class, in::readAllBytes);
        assertTrue(e.getMessage().contains("no data from") && e.getMessage().contains("300ms"), e.getMessage());
      }
    }
  }

  @Test
  void redirectsAreFollowedWithoutLeakingCredentialsToAnotherHost() throws IOException {
    try (TestRegistryServer cdn = serving(TestRegistryServer.inMemory(Auth.NONE, null, null));
        TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.BASIC, "bob", "pw"))) {
      String path = "app/blobs/" + Digest.sha256(BLOB);
      s.redirect(path, "http://localhost:" + cdn.port() + "/v2/" + path);
      try (InputStream in = client(s, new Credentials.Basic("bob", "pw")).blob(blob())) {
        assertArrayEquals(BLOB, in.readAllBytes());
      }
      assertNull(cdn.requests().get(0).authorization(), "the Authorization header stays with the registry");
    }
  }

  @Test
  void aBlobWithAnotherSizeIsRefusedBeforeReading() throws IOException {
    try (TestRegistryServer s = serving(TestRegistryServer.inMemory(Auth.NONE, null, null))) {
      RegistryException e = assertThrows(RegistryException.class,
          () -> client(s, Credentials.ANONYMOUS).blob(new Descriptor("", Digest.sha256(BLOB), BLOB.length + 1)));
      assertTrue(e.getMessage().contains("its descriptor says"), e.getMessage());
    }
  }
}
