package io.berth.server.image.reference;

/** A string that is not an image reference; the message names the reference and what is wrong. */
public final class InvalidReferenceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String reference;

  public InvalidReferenceException(String reference, String reason) {
    super("invalid image reference \"" + reference + "\": " + reason);
    this.reference = reference;
  }

  public String reference() {
    return reference;
  }
}
