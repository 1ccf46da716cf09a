package io.berth.server.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tar streams for unpack tests exactly as told: hostile names ({@code ../x}, {@code /etc/x}),
 * links to anywhere, binary xattrs (PAX {@code SCHILY.xattr.*}), long names, huge zero files
 * generated while writing. Its own writer, so tests control every header byte.
 */
public final class TestTar {
  public static final long MTIME = 946684800L; // 2000-01-01T00:00:00Z

  /** One entry; {@code zeros} > 0 writes that many zero bytes as content instead of {@code content}. */
  public record Entry(char type, String name, String link, int mode, long uid, long gid, long mtime,
      byte[] content, long zeros, int major, int minor, Map<String, byte[]> xattrs) {}

  private final List<Entry> entries = new ArrayList<>();

  public TestTar add(Entry e) {
    entries.add(e);
    return this;
  }

  public TestTar dir(String name, int mode) {
    return add(new Entry('5', name, "", mode, 0, 0, MTIME, new byte[0], 0, 0, 0, Map.of()));
  }

  public TestTar file(String name, String text) {
    return file(name, text.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
  }

  public TestTar file(String name, byte[] content, int mode, long uid, long gid) {
    return add(new Entry('0', name, "", mode, uid, gid, MTIME, content, 0, 0, 0, Map.of()));
  }

  public TestTar zeros(String name, long size) {
    return add(new Entry('0', name, "", 0644, 0, 0, MTIME, new byte[0], size, 0, 0, Map.of()));
  }

  public TestTar symlink(String name, String target) {
    return add(new Entry('2', name, target, 0777, 0, 0, MTIME, new byte[0], 0, 0, 0, Map.of()));
  }

  public TestTar hardlink(String name, String target) {
    return add(new Entry('1', name, target, 0644, 0, 0, MTIME, new byte[0], 0, 0, 0, Map.of()));
  }

  public TestTar charDevice(String name, int mode, int major, int minor) {
    return add(new Entry('3', name, "", mode, 0, 0, MTIME, new byte[0], 0, major, minor, Map.of()));
  }

  public TestTar blockDevice(String name, int mode, int major, int minor) {
    return add(new Entry('4', name, "", mode, 0, 0, MTIME, new byte[0], 0, major, minor, Map.of()));
  }

  public TestTar fifo(String name, int mode) {
    return add(new Entry('6', name, "", mode, 0, 0, MTIME, new byte[0], 0, 0, 0, Map.of()));
  }

  public TestTar fileWithXattrs(String name, String text, Map<String, byte[]> xattrs) {
    return add(new Entry('0', name, "", 0644, 0, 0, MTIME, text.getBytes(StandardCharsets.UTF_8), 0, 0, 0,
        new LinkedHashMap<>(xattrs)));
  }

  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public byte[] gzip() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      writeTo(gz);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public byte[] zstd() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new com.github.luben.zstd.ZstdOutputStream(out)) {
      writeTo(z);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public void writeTo(OutputStream out) throws IOException {
    for (Entry e : entries) {
      byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
      byte[] link = e.link().getBytes(StandardCharsets.UTF_8);
      Map<String, byte[]> pax = new LinkedHashMap<>();
      if (name.length > 100) {
        pax.put("path", name);
      }
      if (link.length > 100) {
        pax.put("linkpath", link);
      }
      e.xattrs().forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
      if (!pax.isEmpty()) {
        byte[] data = paxData(pax);
        out.write(header('x', "PaxHeader", "", 0644, 0, 0, MTIME, data.length, 0, 0));
        out.write(data);
        pad(out, data.length);
      }
      long size = e.type() == '0' ? (e.zeros() > 0 ? e.zeros() : e.content().length) : 0;
      out.write(header(e.type(), truncate(e.name()), truncate(e.link()), e.mode(), e.uid(), e.gid(), e.mtime(),
          size, e.major(), e.minor()));
      if (e.type() == '0') {
        if (e.zeros() > 0) {
          byte[] zero = new byte[1 << 16];
          for (long left = e.zeros(); left > 0; ) {
            int n = (int) Math.min(zero.length, left);
            out.write(zero, 0, n);
            left -= n;
          }
        } else {
          out.write(e.content());
        }
        pad(out, size);
      }
    }
    out.write(new byte[1024]);
    out.flush();
  }

  private static String truncate(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return b.length <= 100 ? s : new String(Arrays.copyOf(b, 100), StandardCharsets.ISO_8859_1);
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int p = (int) ((512 - size % 512) % 512);
    out.write(new byte[p]);
  }

  static byte[] paxData(Map<String, byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int rest = 1 + key.length + 1 + r.getValue().length + 1; // " key=value\n"
      int len = rest + String.valueOf(rest).length();
      if (String.valueOf(len).length() != String.valueOf(rest).length()) {
        len++;
      }
      out.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(key);
      out.write('=');
      out.writeBytes(r.getValue());
      out.write('\n');
    }
    return out.toByteArray();
  }

  static byte[] header(char type, String name, String link, int mode, long uid, long gid, long mtime, long size,
      int major, int minor) {
    byte[] h = new byte[512];
    put(h, 0, 100, name.getBytes(StandardCharsets.ISO_8859_1.newEncoder().canEncode(name)
        ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    put(h, 157, 100, link.getBytes(StandardCharsets.ISO_8859_1));
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    octal(h, 329, 8, major);
    octal(h, 337, 8, minor);
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    byte[] chk = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(chk, 0, h, 148, 8);
    return h;
  }

  private static void put(byte[] h, int off, int len, byte[] v) {
    System.arraycopy(v, 0, h, off, Math.min(len, v.length));
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("value too large for a " + len + "-byte octal field: " + v);
    }
    String padded = "0".repeat(len - 1 - s.length()) + s;
    put(h, off, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
  }
}
