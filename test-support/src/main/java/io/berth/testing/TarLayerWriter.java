package io.berth.testing;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes layer tars reproducibly (fixed mtime, numeric owners only, entries as given) and
 * compresses them into a {@link BlobStore}, computing the diff_id and the blob digest in the same
 * single pass, so a multi-gigabyte bomb layer never needs the heap or a second read.
 */
final class TarLayerWriter {
  /** 2000-01-01T00:00:00Z: fixed so that the same entries always give the same digests. */
  static final FileTime MTIME = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));

  private final BlobStore store;

  TarLayerWriter(BlobStore store) {
    this.store = store;
  }

  Layer write(List<LayerEntry> entries, Compression compression) throws IOException {
    return writeStream(compression, tarOut -> {
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarOut, "UTF-8")) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (LayerEntry e : entries) {
          writeEntry(tar, e);
        }
        tar.finish();
      }
    });
  }

  /** Stores a tar stream produced elsewhere (e.g. a deliberately truncated one), compressed as asked. */
  Layer writeRaw(InputStream tarBytes, Compression compression) throws IOException {
    return writeStream(compression, out -> {
      tarBytes.transferTo(out);
      out.close();
    });
  }

  private interface TarProducer {
    void writeTo(OutputStream uncompressed) throws IOException;
  }

  private Layer writeStream(Compression compression, TarProducer producer) throws IOException {
    Path tmp = store.newTempFile();
    MessageDigest compressedMd = Digest.sha256();
    MessageDigest uncompressedMd = Digest.sha256();
    CountingOutputStream compressedCount;
    try {
      OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
      compressedCount = new CountingOutputStream(new DigestOutputStream(file, compressedMd));
      OutputStream compressor = switch (compression) {
        case GZIP -> new GZIPOutputStream(compressedCount, 1 << 16);
        case ZSTD -> new ZstdOutputStreamNoFinalizer(compressedCount, 3);
        case NONE -> compressedCount;
      };
      producer.writeTo(new DigestOutputStream(compressor, uncompressedMd)); // closes the whole chain
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Digest digest = Digest.of(compressedMd);
    Digest diffId = Digest.of(uncompressedMd);
    if (compression == Compression.NONE && !digest.equals(diffId)) {
      throw new IllegalStateException("uncompressed layer digest differs from its diff_id");
    }
    store.moveIntoPlace(tmp, digest);
    return new Layer(digest, compressedCount.count, diffId, compression);
  }

  private static void writeEntry(TarArchiveOutputStream tar, LayerEntry e) throws IOException {
    byte flag = switch (e.type()) {
      case FILE -> TarConstants.LF_NORMAL;
      case DIRECTORY -> TarConstants.LF_DIR;
      case SYMLINK -> TarConstants.LF_SYMLINK;
      case HARDLINK -> TarConstants.LF_LINK;
      case CHAR_DEVICE -> TarConstants.LF_CHR;
      case BLOCK_DEVICE -> TarConstants.LF_BLK;
      case FIFO -> TarConstants.LF_FIFO;
    };
    String name = e.type() == LayerEntry.Type.DIRECTORY && !e.name().endsWith("/") ? e.name() + "/" : e.name();
    // preserveAbsolutePath: the name goes into the header exactly as given, hostile ones included.
    TarArchiveEntry t = new TarArchiveEntry(name, flag, true);
    t.setMode(e.mode());
    t.setUserId(e.uid());
    t.setGroupId(e.gid());
    t.setUserName("");
    t.setGroupName("");
    t.setModTime(MTIME);
    if (e.linkTarget() != null) {
      t.setLinkName(e.linkTarget());
    }
    if (e.type() == LayerEntry.Type.CHAR_DEVICE || e.type() == LayerEntry.Type.BLOCK_DEVICE) {
      t.setDevMajor(e.devMajor());
      t.setDevMinor(e.devMinor());
    }
    for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
      t.addPaxHeader("SCHILY.xattr." + x.getKey(), x.getValue());
    }
    t.setSize(e.size());
    tar.putArchiveEntry(t);
    if (e.type() == LayerEntry.Type.FILE) {
      long want = e.content().size();
      long copied = 0;
      byte[] buf = new byte[1 << 16];
      try (InputStream in = e.content().open()) {
        while (copied < want) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, want - copied));
          if (n < 0) {
            throw new IOException(e.name() + ": content ended after " + copied + " of " + want + " bytes");
          }
          tar.write(buf, 0, n);
          copied += n;
        }
      }
    }
    tar.closeArchiveEntry();
  }

  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
