package io.berth.server.image.registry;

import java.io.IOException;

/**
 * A registry conversation that failed; {@link Kind} says how, so the pull can pick a gRPC status
 * and decide whether another endpoint (the next mirror) is worth trying.
 */
public final class RegistryException extends IOException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** 404 or MANIFEST_UNKNOWN / BLOB_UNKNOWN / NAME_UNKNOWN. */
    NOT_FOUND,
    /** 401/403 after authenticating (or no credentials where they are required). */
    UNAUTHORIZED,
    /** Connection refused, TLS failure, 5xx, 429: the endpoint is unusable right now. */
    UNAVAILABLE,
    /** No byte for the stall timeout. */
    STALLED,
    /** A response that breaks the distribution protocol. */
    PROTOCOL
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
