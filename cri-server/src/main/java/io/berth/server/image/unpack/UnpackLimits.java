package io.berth.server.image.unpack;

/**
 * Bounds on what one layer may write: {@code maxLayerBytes} of uncompressed tar (a decompression
 * bomb stops there), and {@code diskReserveBytes} that must stay free on the image file system.
 */
public record UnpackLimits(long maxLayerBytes, long diskReserveBytes) {
  /** 64 GiB uncompressed per layer; 1 GiB kept free for the node. */
  public static final UnpackLimits DEFAULT = new UnpackLimits(64L << 30, 1L << 30);

  public UnpackLimits {
    if (maxLayerBytes <= 0 || diskReserveBytes < 0) {
      throw new IllegalArgumentException("bad unpack limits " + maxLayerBytes + ", " + diskReserveBytes);
    }
  }
}
