package io.berth.bridge.monitor;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the CRI log format conmon writes: {@code <RFC3339Nano> <stdout|stderr> <P|F> <text>\n},
 * where P marks a partial line continued by the next entry of the same stream and F a full one
 * (whose newline is the entry's own). Used for ExecSync output, capped per stream.
 */
public final class CriLog {
  private CriLog() {}

  /** The decoded output of one log file. */
  public record Output(byte[] stdout, byte[] stderr, boolean stdoutTruncated, boolean stderrTruncated) {}

  public static Output read(Path file, int capPerStream) throws IOException {
    Capped out = new Capped(capPerStream);
    Capped err = new Capped(capPerStream);
    if (!Files.exists(file)) {
      return new Output(new byte[0], new byte[0], false, false);
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while (true) {
        b = in.read();
        if (b < 0 || b == '\n') {
          if (line.size() > 0) {
            decode(line.toByteArray(), out, err);
          }
          line.reset();
          if (b < 0) {
            break;
          }
        } else {
          line.write(b);
        }
      }
    }
    return new Output(out.bytes(), err.bytes(), out.truncated, err.truncated);
  }

  private static void decode(byte[] entry, Capped out, Capped err) {
    int s1 = indexOf(entry, (byte) ' ', 0);
    int s2 = s1 < 0 ? -1 : indexOf(entry, (byte) ' ', s1 + 1);
    int s3 = s2 < 0 ? -1 : indexOf(entry, (byte) ' ', s2 + 1);
    boolean emptyText = s3 < 0 && s2 >= 0 && entry.length == s2 + 2;
    if (s2 < 0 || (s3 < 0 && !emptyText)) {
      return;
    }
    String stream = new String(entry, s1 + 1, s2 - s1 - 1, java.nio.charset.StandardCharsets.US_ASCII);
    byte tag = entry[s2 + 1];
    int textStart = s3 < 0 ? entry.length : s3 + 1;
    Capped target = "stdout".equals(stream) ? out : "stderr".equals(stream) ? err : null;
    if (target == null) {
      return;
    }
    target.write(entry, textStart, entry.length - textStart);
    if (tag == 'F') {
      target.write(new byte[] {'\n'}, 0, 1);
    }
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static final class Capped {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final int cap;
    boolean truncated;

    Capped(int cap) {
      this.cap = cap;
    }

    void write(byte[] b, int off, int len) {
      int room = cap - buf.size();
      if (len > room) {
        truncated = true;
        len = Math.max(0, room);
      }
      buf.write(b, off, len);
    }

    byte[] bytes() {
      return buf.toByteArray();
    }
  }
}
