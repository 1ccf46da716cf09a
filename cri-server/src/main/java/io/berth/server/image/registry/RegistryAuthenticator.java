package io.berth.server.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.berth.server.Json;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers registry auth challenges ({@code WWW-Authenticate}): Basic with the credentials, or the
 * distribution token flow for Bearer: GET the realm with service and scope (Basic-authenticated
 * when there are credentials), or, for an identity token, the OAuth2 refresh-token POST. A
 * registry token is sent as the bearer token itself.
 *
 * <p>Tokens are cached per realm + service + scope + credentials until they expire (the token's
 * expires_in, at least 60 s as the spec says, minus a safety margin). Once an endpoint has
 * challenged, later requests send the cached authorization up front and skip the 401 round trip.
 */
public final class RegistryAuthenticator {
  private static final StructuredLogger LOG = StructuredLogger.get(RegistryAuthenticator.class);
  private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(60);
  private static final Duration MARGIN = Duration.ofSeconds(10);
  private static final int MAX_TOKEN_RESPONSE = 1 << 20;

  private final Cache<TokenKey, Token> tokens;
  private final Map<URI, AuthChallenge> challenges = new ConcurrentHashMap<>();
  private final TokenFetcher fetcher;

  /** How the authenticator talks to a token realm (the transport, with the endpoint's TLS). */
  @FunctionalInterface
  public interface TokenFetcher {
    HttpResponse<InputStream> send(RegistryEndpoint endpoint, HttpRequest request) throws IOException;
  }

  record TokenKey(String realm, String service, String scope, String credentials) {}

  record Token(String value, Instant expiresAt) {}

  public RegistryAuthenticator(TokenFetcher fetcher, Ticker ticker) {
    this.fetcher = fetcher;
    this.tokens = Caffeine.newBuilder()
        .maximumSize(1024)
        .ticker(ticker)
        .expireAfter(new Expiry<TokenKey, Token>() {
          @Override
          public long expireAfterCreate(TokenKey k, Token t, long now) {
            return Math.max(0, Duration.between(Instant.now(), t.expiresAt()).toNanos());
          }

          @Override
          public long expireAfterUpdate(TokenKey k, Token t, long now, long current) {
            return expireAfterCreate(k, t, now);
          }

          @Override
          public long expireAfterRead(TokenKey k, Token t, long now, long current) {
            return current;
          }
        })
        .build();
  }

  public RegistryAuthenticator(TokenFetcher fetcher) {
    this(fetcher, Ticker.systemTicker());
  }

  /**
   * The Authorization header to send up front, if this endpoint challenged before: a cached token,
   * or (when it expired) a fresh one fetched now, which saves the 401 round trip.
   */
  public Optional<String> preemptive(RegistryEndpoint endpoint, String scope, Credentials credentials)
      throws IOException {
    if (credentials instanceof Credentials.RegistryToken t) {
      return Optional.of("Bearer " + t.token());
    }
    AuthChallenge c = challenges.get(endpoint.base());
    if (c == null) {
      return Optional.empty();
    }
    if (c.isBasic()) {
      return credentials instanceof Credentials.Basic b ? Optional.of(b.header()) : Optional.empty();
    }
    TokenKey key = key(c, scope, credentials);
    Token t = tokens.getIfPresent(key);
    if (t == null) {
      t = fetchToken(endpoint, c, scope, credentials);
      tokens.put(key, t);
    }
    return Optional.of("Bearer " + t.value());
  }

  /**
   * Answers a 401: returns the Authorization header to retry with, fetching a fresh token for a
   * Bearer challenge. Throws UNAUTHORIZED when the challenge cannot be answered.
   */
  public String answer(RegistryEndpoint endpoint, List<String> wwwAuthenticate, String scope,
      Credentials credentials) throws IOException {
    AuthChallenge c = AuthChallenge.preferred(AuthChallenge.parse(wwwAuthenticate)).orElseThrow(() ->
        new RegistryException(RegistryException.Kind.UNAUTHORIZED, endpoint.host() + " requires authentication"
            + " with an unsupported scheme: " + wwwAuthenticate));
    challenges.put(endpoint.base(), c);
    if (credentials instanceof Credentials.RegistryToken) {
      throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, endpoint.host()
          + " refused the registry token");
    }
    if (c.isBasic()) {
      if (credentials instanceof Credentials.Basic b) {
        return b.header();
      }
      throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, endpoint.host()
          + " requires Basic authentication and no username/password was given (" + credentials + ")");
    }
    TokenKey key = key(c, scope, credentials);
    tokens.invalidate(key);
    Token token = fetchToken(endpoint, c, scope, credentials);
    tokens.put(key, token);
    return "Bearer " + token.value();
  }

  /** Forgets a cached token that the registry refused despite not having expired. */
  public void invalidate(RegistryEndpoint endpoint, String scope, Credentials credentials) {
    AuthChallenge c = challenges.get(endpoint.base());
    if (c != null && c.isBearer()) {
      tokens.invalidate(key(c, scope, credentials));
    }
  }

  private TokenKey key(AuthChallenge c, String scope, Credentials credentials) {
    return new TokenKey(c.param("realm").orElse(""), c.param("service").orElse(""), scope,
        credentials.fingerprint());
  }

  private Token fetchToken(RegistryEndpoint endpoint, AuthChallenge c, String scope, Credentials credentials)
      throws IOException {
    String realm = c.param("realm").orElseThrow(() -> new RegistryException(RegistryException.Kind.PROTOCOL,
        endpoint.host() + " sent a Bearer challenge without realm"));
    URI realmUri;
    try {
      realmUri = URI.create(realm);
      if (realmUri.getScheme() == null || !realmUri.getScheme().matches("https?")) {
        throw new IllegalArgumentException("not http(s)");
      }
    } catch (IllegalArgumentException e) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, endpoint.host() + " sent a bad token realm '"
          + realm + "'");
    }
    StringBuilder form = new StringBuilder();
    c.param("service").ifPresent(s -> append(form, "service", s));
    append(form, "scope", scope);
    c.param("scope").filter(s -> !s.equals(scope)).ifPresent(s -> append(form, "scope", s));
    HttpRequest.Builder req;
    if (credentials instanceof Credentials.IdentityToken t) {
      append(form, "grant_type", "refresh_token");
      append(form, "refresh_token", t.token());
      append(form, "client_id", "berth");
      req = HttpRequest.newBuilder(realmUri)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    } else {
      String sep = realmUri.getRawQuery() == null ? "?" : "&";
      req = HttpRequest.newBuilder(URI.create(realm + sep + form)).GET();
      if (credentials instanceof Credentials.Basic b) {
        req.header("Authorization", b.header());
      }
    }
    HttpResponse<InputStream> resp = fetcher.send(endpoint, req.build());
    byte[] body;
    try (InputStream in = resp.body()) {
      body = in.readNBytes(MAX_TOKEN_RESPONSE);
    }
    if (resp.statusCode() == 401 || resp.statusCode() == 403) {
      throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "token server " + realmUri.getHost()
          + " refused " + credentials + " for " + scope + " (HTTP " + resp.statusCode() + ")");
    }
    if (resp.statusCode() != 200) {
      throw new RegistryException(resp.statusCode() >= 500 ? RegistryException.Kind.UNAVAILABLE
          : RegistryException.Kind.PROTOCOL, "token server " + realmUri + " answered HTTP " + resp.statusCode());
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, "token server " + realmUri + " sent no JSON");
    }
    String token = node.path("token").asText("");
    if (token.isEmpty()) {
      token = node.path("access_token").asText("");
    }
    if (token.isEmpty()) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, "token server " + realmUri + " sent no token");
    }
    Duration lifetime = Duration.ofSeconds(Math.max(node.path("expires_in").asLong(0), MIN_TOKEN_LIFETIME.toSeconds()));
    Instant issued = Instant.now();
    Instant expires = issued.plus(lifetime).minus(MARGIN);
    LOG.debug("registry token", "realm", realmUri.getHost(), "scope", scope, "expires_in", lifetime.toSeconds());
    return new Token(token, expires);
  }

  private static void append(StringBuilder form, String k, String v) {
    if (form.length() > 0) {
      form.append('&');
    }
    form.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
  }
}
