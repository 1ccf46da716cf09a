package io.berth.server.image;

import static io.berth.server.image.ImageItSupport.pull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.AuthConfig;
import io.berth.server.image.TestRegistryServer.Auth;
import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.PushedImages;
import io.berth.testing.RegistryCredentials;
import io.berth.testing.RegistryFixture;
import io.berth.testing.RequiresHost;
import io.berth.testing.TestImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How berthd reaches registries: TLS with a private CA (and skip_verify), htpasswd Basic auth (CRI
 * AuthConfig and per-host config credentials), the Bearer token flow through a token-auth server
 * in front of docker-registry, and mirrors that fail over to the next.
 */
@ExtendWith(BerthExtension.class)
@RequiresHost({Requirement.ROOT, Requirement.DOCKER_REGISTRY, Requirement.OPENSSL, Requirement.HTPASSWD})
class RegistryAccessIT {

  private static String hostTable(String host, String... lines) {
    return "[registry.hosts.\"" + host + "\"]\n" + String.join("\n", lines);
  }

  @Test
  void tlsWithAPrivateCa(TestImages images) throws IOException {
    try (RegistryFixture tls = RegistryFixture.builder().tls().start()) {
      PushedImages pushed = tls.pusher(images.blobs()).pushStandardImages(images, tls.hostPort());
      String ca = tls.caFile().orElseThrow().toString();
      // direct references, and docker.io mirrored to the TLS registry: both use the CA of its host entry
      try (BerthdProcess berthd = BerthdProcess.builder().registry(tls).logLevel("info")
          .extraToml(hostTable(tls.hostPort(), "ca_file = \"" + ca + "\"")).start()) {
        assertEquals(pushed.busybox().id(), pull(berthd, tls.reference("busybox:oci")));
        assertEquals(pushed.pause().id(), pull(berthd, PushedImages.SANDBOX_IMAGE));
      }
      try (BerthdProcess untrusting = BerthdProcess.builder().logLevel("info").start()) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> pull(untrusting, tls.reference("busybox:oci")));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().toLowerCase().contains("certificat")
            || e.getStatus().getDescription().contains("PKIX"), e.getStatus().getDescription());
      }
      try (BerthdProcess skipping = BerthdProcess.builder().logLevel("info")
          .extraToml(hostTable(tls.hostPort(), "skip_verify = true")).start()) {
        assertEquals(pushed.busybox().id(), pull(skipping, tls.reference("busybox:oci")));
      }
    }
  }

  @Test
  void htpasswdBasicAuth(TestImages images) throws IOException {
    try (RegistryFixture basic = RegistryFixture.builder().basicAuth().start()) {
      PushedImages pushed = basic.pusher(images.blobs()).pushStandardImages(images, basic.hostPort());
      RegistryCredentials creds = basic.credentials().orElseThrow();
      try (BerthdProcess berthd = BerthdProcess.builder().logLevel("info").start()) {
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
            () -> pull(berthd, basic.reference("busybox:oci")));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode(), denied.getStatus().toString());
        assertTrue(denied.getStatus().getDescription().contains(basic.reference("busybox:oci")),
            denied.getStatus().getDescription());
        assertEquals(pushed.busybox().id(), pull(berthd, basic.reference("busybox:oci"),
            AuthConfig.newBuilder().setUsername(creds.username()).setPassword(creds.password()).build()));
        assertEquals(pushed.pause().id(), pull(berthd, basic.reference("pause:3.10"),
            AuthConfig.newBuilder().setAuth(creds.auth()).setServerAddress(basic.hostPort()).build()));
        StatusRuntimeException wrong = assertThrows(StatusRuntimeException.class, () -> pull(berthd,
            basic.reference("busybox:latest"), AuthConfig.newBuilder().setUsername(creds.username())
                .setPassword("wrong").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, wrong.getStatus().getCode());
      }
      try (BerthdProcess configured = BerthdProcess.builder().registry(basic).logLevel("info")
          .extraToml(hostTable(basic.hostPort(), "username = \"" + creds.username() + "\"",
              "password = \"" + creds.password() + "\"")).start()) {
        assertEquals(pushed.busybox().id(), pull(configured, "busybox"), "per-host credentials from the config");
      }
    }
  }

  @Test
  void bearerTokenFlowThroughATokenServer(RegistryFixture registry, PushedImages pushed) throws IOException {
    try (TestRegistryServer tokens = TestRegistryServer.proxy(registry.baseUri(), Auth.BEARER, "alice", "pw");
        BerthdProcess berthd = BerthdProcess.builder().logLevel("info")
            .extraToml(hostTable(tokens.hostPort(), "plain_http = true")).start()) {
      String busybox = tokens.hostPort() + "/busybox:oci";
      StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () -> pull(berthd, busybox));
      assertEquals(Status.Code.PERMISSION_DENIED, anonymous.getStatus().getCode(), anonymous.getStatus().toString());

      int before = tokens.tokenRequests();
      AuthConfig alice = AuthConfig.newBuilder().setUsername("alice").setPassword("pw")
          .setServerAddress(tokens.hostPort()).build();
      assertEquals(pushed.busybox().id(), pull(berthd, busybox, alice));
      assertEquals(pushed.busybox().id(), pull(berthd, tokens.hostPort() + "/busybox:latest", alice));
      assertEquals(1, tokens.tokenRequests() - before, "one token for repository:busybox:pull, cached for the second pull");
      assertTrue(tokens.requests().stream().filter(r -> r.path().equals("/token")).reduce((x, y) -> y).orElseThrow()
          .authorization().startsWith("Basic "), "the credentials go to the token server");

      String refresh = tokens.issueRefreshToken();
      assertEquals(pushed.pause().id(), pull(berthd, tokens.hostPort() + "/pause:3.10",
          AuthConfig.newBuilder().setIdentityToken(refresh).build()), "identity_token: the OAuth2 refresh flow");
      assertEquals(1, tokens.count("POST", "/token"));

      String access = tokens.issueAccessToken("repository:google-containers/pause:pull");
      assertEquals(pushed.pause().id(), pull(berthd, tokens.hostPort() + "/google-containers/pause:3.10",
          AuthConfig.newBuilder().setRegistryToken(access).build()), "registry_token: used as the bearer token");
    }
  }

  @Test
  void aFailingMirrorFallsBackToTheNext(RegistryFixture registry, PushedImages pushed) {
    try (TestRegistryServer empty = TestRegistryServer.inMemory(Auth.NONE, null, null);
        BerthdProcess berthd = BerthdProcess.builder().logLevel("info")
            .extraToml(hostTable("registry.example", "mirrors = [\"http://127.0.0.1:1\", \"" + empty.url() + "\", \""
                + registry.mirrorUrl() + "\"]")).start()) {
      assertEquals(pushed.busybox().id(), pull(berthd, "registry.example/busybox:multi"));
      assertTrue(empty.count("GET", "/v2/busybox/manifests/multi") >= 1, "the empty mirror was asked first");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
