package io.berth.testing;

import java.io.IOException;

/** A registry answered with an unexpected HTTP status. */
public final class RegistryHttpException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int statusCode;

  public RegistryHttpException(String request, int statusCode, String body) {
    super(request + " -> HTTP " + statusCode + (body.isBlank() ? "" : ": " + body.strip()));
    this.statusCode = statusCode;
  }

  public int statusCode() {
    return statusCode;
  }
}
