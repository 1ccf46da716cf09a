package io.berth.server.image;

import java.io.IOException;

/** A layer whose uncompressed content does not have the diff id the image config lists. */
final class LayerDigestMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  LayerDigestMismatchException(String message) {
    super(message);
  }
}
