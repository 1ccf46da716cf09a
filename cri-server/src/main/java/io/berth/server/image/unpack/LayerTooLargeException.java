package io.berth.server.image.unpack;

/** The uncompressed layer passed the size limit: a decompression bomb, or the disk reserve was reached. */
public final class LayerTooLargeException extends LayerFormatException {
  private static final long serialVersionUID = 1L;

  public LayerTooLargeException(String message) {
    super(message);
  }
}
