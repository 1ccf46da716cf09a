package io.berth.server.image.content;

import java.io.IOException;

/** A blob whose bytes do not match its descriptor (digest or size): nothing of it is kept. */
public final class BlobVerificationException extends IOException {
  private static final long serialVersionUID = 1L;

  public BlobVerificationException(String message) {
    super(message);
  }
}
