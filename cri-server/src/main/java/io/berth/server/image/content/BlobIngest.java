package io.berth.server.image.content;

import io.berth.server.image.manifest.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * One blob being written: bytes are digested and counted as they arrive; {@link #commit()} checks
 * size and digest, fsyncs and renames into the store. Closing without commit deletes the partial
 * file, so a failed download leaves nothing behind.
 */
public final class BlobIngest implements AutoCloseable {
  private final ContentStore store;
  private final Descriptor expected;
  private final Path tmp;
  private final FileChannel channel;
  private final MessageDigest digest;
  private long written;
  private boolean verified;
  private boolean committed;

  BlobIngest(ContentStore store, Descriptor expected, Path tmp) throws IOException {
    this.store = store;
    this.expected = expected;
    this.tmp = tmp;
    this.digest = expected.digest().newMessageDigest();
    this.channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  public Descriptor expected() {
    return expected;
  }

  public long written() {
    return written;
  }

  /** Appends bytes; fails as soon as more bytes arrive than the descriptor's size. */
  public void write(ByteBuffer bytes) throws IOException {
    int n = bytes.remaining();
    if (written + n > expected.size()) {
      throw new BlobVerificationException("blob " + expected.digest() + " is larger than the "
          + expected.size() + " bytes its descriptor says");
    }
    ByteBuffer forDigest = bytes.duplicate();
    digest.update(forDigest);
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    written += n;
  }

  public void write(byte[] b, int off, int len) throws IOException {
    write(ByteBuffer.wrap(b, off, len));
  }

  /** Checks size and digest of everything written; the ingest stays uncommitted. */
  public void verify() throws IOException {
    if (verified) {
      return;
    }
    if (written != expected.size()) {
      throw new BlobVerificationException("blob " + expected.digest() + " has " + written
          + " bytes, its descriptor says " + expected.size());
    }
    if (!expected.digest().matches(digest)) {
      throw new BlobVerificationException("blob " + expected.digest() + " failed verification: its content "
          + "has a different digest (corrupted or tampered)");
    }
    verified = true;
  }

  /** Verifies, syncs and moves the blob into place. */
  public void commit() throws IOException {
    verify();
    channel.force(true);
    channel.close();
    store.commit(tmp, expected.digest());
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      channel.close();
    }
    if (!committed) {
      Files.deleteIfExists(tmp);
    }
  }
}
