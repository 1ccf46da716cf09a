package io.berth.server.image.unpack;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a layer blob as a tar stream. The compression is read from the first bytes (gzip 1f 8b,
 * zstd 28 b5 2f fd), not the media type, because registries and tools mislabel layers; anything
 * else is read as a plain tar (a non-tar fails on its first header checksum).
 */
public enum Decompression {
  GZIP, ZSTD, NONE;

  private static final int BUFFER = 1 << 16;

  public static Decompression detect(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** Wraps {@code raw} (the compressed blob) into the uncompressed tar stream. */
  public static InputStream open(InputStream raw) throws IOException {
    BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, BUFFER);
    return switch (detect(in)) {
      case GZIP -> new GZIPInputStream(in, BUFFER);
      case ZSTD -> new ZstdInputStream(in);
      case NONE -> in;
    };
  }
}
