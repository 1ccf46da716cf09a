package io.berth.server.image.manifest;

/** A manifest, index or config that berth cannot use; the message says what and why. */
public final class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the document was refused, so the caller can pick the gRPC status. */
  public enum Reason { MALFORMED, SCHEMA1, UNSUPPORTED_MEDIA_TYPE, NO_MATCHING_PLATFORM }

  private final Reason reason;

  public ManifestException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
