package io.berth.server.image.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob on its way from the registry: every byte read is also written to the blob's ingest file
 * (which digests and counts it). Reading past the descriptor's size fails at once; the digest is
 * checked by {@link BlobIngest#commit()} after the stream is read to its end.
 */
public final class TeeVerifyingInputStream extends FilterInputStream {
  private final BlobIngest ingest;

  public TeeVerifyingInputStream(InputStream in, BlobIngest ingest) {
    super(in);
    this.ingest = ingest;
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
      ingest.write(b, off, n);
    } else if (n < 0 && ingest.written() < ingest.expected().size()) {
      throw new BlobVerificationException("blob " + ingest.expected().digest() + " ended after "
          + ingest.written() + " of " + ingest.expected().size() + " bytes");
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

  @Override
  public int available() throws IOException {
    return in.available();
  }
}
