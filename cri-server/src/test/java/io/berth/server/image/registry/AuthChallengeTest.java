package io.berth.server.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void bearerWithQuotedScopeHoldingCommas() {
    List<AuthChallenge> c = AuthChallenge.parse(List.of(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
            + "scope=\"repository:samalba/my-app:pull,push\""));
    assertEquals(1, c.size());
    assertTrue(c.get(0).isBearer());
    assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
        "scope", "repository:samalba/my-app:pull,push"), c.get(0).params());
  }

  @Test
  void basicAndCaseInsensitiveSchemesAndNames() {
    AuthChallenge c = AuthChallenge.parse(List.of("BASIC Realm=\"berth test\"")).get(0);
    assertTrue(c.isBasic());
    assertEquals("berth test", c.param("realm").orElseThrow());
  }

  @Test
  void severalChallengesPreferBearer() {
    List<AuthChallenge> c = AuthChallenge.parse(List.of("Basic realm=\"r\", Bearer realm=\"https://t/token\",service=s",
        "Negotiate"));
    assertEquals(List.of("basic", "bearer", "negotiate"), c.stream().map(AuthChallenge::scheme).toList());
    assertEquals("s", c.get(1).param("service").orElseThrow());
    assertEquals("bearer", AuthChallenge.preferred(c).orElseThrow().scheme());
    assertEquals("basic", AuthChallenge.preferred(c.subList(0, 1)).orElseThrow().scheme());
  }

  @Test
  void escapesAndUnquotedValuesAndSpaces() {
    AuthChallenge c = AuthChallenge.parse(List.of("Bearer  realm = \"a \\\"quoted\\\" realm\" , service=plain ,error=\"insufficient_scope\""))
        .get(0);
    assertEquals("a \"quoted\" realm", c.param("realm").orElseThrow());
    assertEquals("plain", c.param("service").orElseThrow());
    assertEquals("insufficient_scope", c.param("error").orElseThrow());
  }

  @Test
  void garbageGivesNoUsableChallenge() {
    assertTrue(AuthChallenge.preferred(AuthChallenge.parse(List.of("", "Digest nonce=\"x\""))).isEmpty());
  }

  @Test
  void credentialsFromAuthConfigFields() {
    assertEquals(new Credentials.Basic("u", "p:w"), Credentials.of(null, null,
        java.util.Base64.getEncoder().encodeToString("u:p:w".getBytes()), null, null));
    assertEquals(new Credentials.RegistryToken("t"), Credentials.of("u", "p", null, "i", "t"));
    assertEquals(new Credentials.IdentityToken("i"), Credentials.of("u", "p", null, "i", ""));
    assertEquals(Credentials.ANONYMOUS, Credentials.of("", "", "", "", ""));
    assertTrue(!new Credentials.Basic("u", "p").fingerprint().equals(new Credentials.Basic("u", "q").fingerprint()));
  }

  @Test
  void loopbackHosts() {
    for (String h : List.of("localhost", "localhost:5000", "127.0.0.1", "127.1.2.3:80", "[::1]:5000", "[::1]")) {
      assertTrue(RegistryHosts.isLoopback(h), h);
    }
    for (String h : List.of("128.0.0.1", "127.0.0.1.example.com", "localhost.example", "[::2]", "10.0.0.1:5000")) {
      assertTrue(!RegistryHosts.isLoopback(h), h);
    }
  }
}
