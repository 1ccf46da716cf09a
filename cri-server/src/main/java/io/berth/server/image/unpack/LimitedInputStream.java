package io.berth.server.image.unpack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileStore;
import java.security.MessageDigest;

/**
 * The uncompressed layer stream: digests it (the layer's diff id), counts it, and stops it with
 * {@link LayerTooLargeException} past the size limit or when the file system gets too full.
 */
final class LimitedInputStream extends FilterInputStream {
  private static final long DISK_CHECK_INTERVAL = 64L << 20;

  private final MessageDigest digest;
  private final UnpackLimits limits;
  private final FileStore store;
  private long count;
  private long nextDiskCheck = DISK_CHECK_INTERVAL;

  LimitedInputStream(InputStream in, MessageDigest digest, UnpackLimits limits, FileStore store) {
    super(in);
    this.digest = digest;
    this.limits = limits;
    this.store = store;
  }

  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
      if (count > limits.maxLayerBytes()) {
        throw new LayerTooLargeException("layer expands past " + limits.maxLayerBytes()
            + " bytes uncompressed (limit per layer; a decompression bomb?)");
      }
      if (count >= nextDiskCheck) {
        nextDiskCheck = count + DISK_CHECK_INTERVAL;
        if (store != null && store.getUsableSpace() < limits.diskReserveBytes()) {
          throw new LayerTooLargeException("image file system has less than " + limits.diskReserveBytes()
              + " bytes free; layer unpacking stopped after " + count + " bytes");
        }
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
