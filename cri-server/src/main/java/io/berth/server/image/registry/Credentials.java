package io.berth.server.image.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What berth presents to a registry: nothing, a user and password (Basic, and for the token
 * endpoint), an identity token (an OAuth2 refresh token) or a registry token (a bearer token
 * used as is). {@link #fingerprint()} keys the token cache without keeping secrets in the key.
 */
public sealed interface Credentials {
  Credentials ANONYMOUS = new Anonymous();

  record Anonymous() implements Credentials {
    @Override
    public String toString() {
      return "anonymous";
    }
  }

  record Basic(String username, String password) implements Credentials {
    public String header() {
      return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "basic(" + username + ")";
    }
  }

  record IdentityToken(String token) implements Credentials {
    @Override
    public String toString() {
      return "identity-token";
    }
  }

  record RegistryToken(String token) implements Credentials {
    @Override
    public String toString() {
      return "registry-token";
    }
  }

  /**
   * From CRI AuthConfig fields (or a config host entry): a registry token wins, then an identity
   * token, then username/password, then {@code auth} (base64 of user:password).
   */
  static Credentials of(String username, String password, String auth, String identityToken,
      String registryToken) {
    if (notEmpty(registryToken)) {
      return new RegistryToken(registryToken);
    }
    if (notEmpty(identityToken)) {
      return new IdentityToken(identityToken);
    }
    if (notEmpty(username)) {
      return new Basic(username, password == null ? "" : password);
    }
    if (notEmpty(auth)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("auth is not base64 of user:password");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("auth does not decode to user:password");
      }
      return new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    return ANONYMOUS;
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  /** A hash of the secret material, so tokens obtained with different credentials never mix. */
  default String fingerprint() {
    String material;
    if (this instanceof Basic b) {
      material = "basic\0" + b.username() + "\0" + b.password();
    } else if (this instanceof IdentityToken t) {
      material = "identity\0" + t.token();
    } else if (this instanceof RegistryToken t) {
      material = "registry\0" + t.token();
    } else {
      material = "anon";
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(material.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
