package io.berth.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registry user name and password (htpasswd Basic auth). */
public record RegistryCredentials(String username, String password) {
  /** The value of an {@code Authorization} header. */
  public String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The base64 {@code user:password} as CRI's {@code AuthConfig.auth} carries it. */
  public String auth() {
    return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "RegistryCredentials[" + username + "]";
  }
}
