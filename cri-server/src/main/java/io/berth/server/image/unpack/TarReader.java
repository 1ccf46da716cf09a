package io.berth.server.image.unpack;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming tar reader for image layers: ustar, GNU (long names, base-256 numbers) and PAX
 * (path, linkpath, size, uid, gid, mtime, {@code SCHILY.xattr.*}, {@code LIBARCHIVE.xattr.*}).
 *
 * <p>Written here rather than taken from commons-compress because xattr values must stay bytes
 * ({@code security.capability} is binary and would not survive a UTF-8 string), and because a
 * layer is hostile input: every header checksum is verified, every length bounded. Sparse
 * entries are refused (no image builder writes them).
 */
public final class TarReader {
  private static final int BLOCK = 512;
  /** PAX and GNU long-name records bigger than this are refused (real ones are a few KiB). */
  private static final int MAX_META = 1 << 20;

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private final Map<String, byte[]> globalPax = new HashMap<>();
  private long remaining;
  private long padding;
  private boolean finished;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive. Unread content of the previous entry is skipped. */
  public TarEntry next() throws IOException {
    if (finished) {
      return null;
    }
    skipRest();
    Map<String, byte[]> pax = new HashMap<>();
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      if (!readBlock()) {
        finished = true;
        return null;
      }
      if (isZero(header)) {
        // End of archive: two zero blocks (some writers stop after one, or at EOF).
        finished = true;
        return null;
      }
      verifyChecksum();
      char flag = (char) (header[156] & 0xff);
      long size = number(124, 12, "size");
      if (size < 0) {
        throw new LayerFormatException("tar header with negative size");
      }
      switch (flag) {
        case 'x':
          pax.putAll(paxRecords(readMeta(size, "PAX header")));
          continue;
        case 'g':
          globalPax.putAll(paxRecords(readMeta(size, "PAX global header")));
          continue;
        case 'L':
          longName = trimNul(readMeta(size, "GNU long name"));
          continue;
        case 'K':
          longLink = trimNul(readMeta(size, "GNU long link name"));
          continue;
        case 'S':
          throw new LayerFormatException("tar entry " + text(field(0, 100)) + " is a GNU sparse file, not supported in layers");
        default:
          break;
      }
      Map<String, byte[]> attrs = new HashMap<>(globalPax);
      attrs.putAll(pax);
      return entry(flag, size, attrs, longName, longLink);
    }
  }

  /** The content of the current entry; reads end at its size. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("tar entry truncated: " + remaining + " bytes missing");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private TarEntry entry(char flag, long headerSize, Map<String, byte[]> pax, byte[] longName, byte[] longLink)
      throws IOException {
    if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
      throw new LayerFormatException("tar entry " + text(field(0, 100)) + " is a PAX sparse file, not supported in layers");
    }
    String name;
    if (pax.containsKey("path")) {
      name = text(pax.get("path"));
    } else if (longName != null) {
      name = text(longName);
    } else {
      byte[] n = field(0, 100);
      boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
          && header[261] == 'r' && header[262] == 0;
      byte[] prefix = ustar ? field(345, 155) : new byte[0];
      name = prefix.length > 0 ? text(prefix) + "/" + text(n) : text(n);
    }
    String link = pax.containsKey("linkpath") ? text(pax.get("linkpath"))
        : longLink != null ? text(longLink) : text(field(157, 100));
    long size = pax.containsKey("size") ? decimal(pax.get("size"), "size") : headerSize;
    long uid = pax.containsKey("uid") ? decimal(pax.get("uid"), "uid") : number(108, 8, "uid");
    long gid = pax.containsKey("gid") ? decimal(pax.get("gid"), "gid") : number(116, 8, "gid");
    FileTime mtime = pax.containsKey("mtime") ? paxTime(pax.get("mtime"))
        : FileTime.from(Instant.ofEpochSecond(number(136, 12, "mtime")));
    int mode = (int) (number(100, 8, "mode") & 07777);
    TarEntry.Type type;
    switch (flag) {
      case '0', '\0', '7' -> type = TarEntry.Type.FILE;
      case '1' -> type = TarEntry.Type.HARDLINK;
      case '2' -> type = TarEntry.Type.SYMLINK;
      case '3' -> type = TarEntry.Type.CHAR_DEVICE;
      case '4' -> type = TarEntry.Type.BLOCK_DEVICE;
      case '5' -> type = TarEntry.Type.DIRECTORY;
      case '6' -> type = TarEntry.Type.FIFO;
      default -> throw new LayerFormatException("tar entry " + name + " has unsupported type '" + flag + "'");
    }
    if (type == TarEntry.Type.FILE && name.endsWith("/") && flag == '\0') {
      type = TarEntry.Type.DIRECTORY; // old tars mark directories only by the trailing slash
    }
    int major = 0;
    int minor = 0;
    if (type == TarEntry.Type.CHAR_DEVICE || type == TarEntry.Type.BLOCK_DEVICE) {
      major = (int) number(329, 8, "devmajor");
      minor = (int) number(337, 8, "devminor");
    }
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      if (e.getKey().startsWith("SCHILY.xattr.")) {
        xattrs.put(e.getKey().substring("SCHILY.xattr.".length()), e.getValue());
      }
    }
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      if (e.getKey().startsWith("LIBARCHIVE.xattr.")) {
        // libarchive writes the name URL-encoded and the value base64, next to SCHILY for portability.
        String key = java.net.URLDecoder.decode(e.getKey().substring("LIBARCHIVE.xattr.".length()),
            StandardCharsets.UTF_8);
        try {
          xattrs.putIfAbsent(key, Base64.getDecoder().decode(trimNul(e.getValue())));
        } catch (IllegalArgumentException ex) {
          throw new LayerFormatException("tar entry " + name + ": bad LIBARCHIVE.xattr value for " + key);
        }
      }
    }
    // Links, devices, directories and fifos carry no data whatever the header says (as Go's archive/tar).
    long content = type == TarEntry.Type.FILE ? size : 0;
    remaining = content;
    padding = (BLOCK - (content % BLOCK)) % BLOCK;
    return new TarEntry(type, name, link, mode, uid, gid, type == TarEntry.Type.FILE ? size : 0, mtime,
        major, minor, xattrs);
  }

  private boolean readBlock() throws IOException {
    int off = 0;
    while (off < BLOCK) {
      int n = in.read(header, off, BLOCK - off);
      if (n < 0) {
        if (off == 0) {
          return false;
        }
        throw new EOFException("tar header truncated");
      }
      off += n;
    }
    return true;
  }

  private void skipRest() throws IOException {
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private void skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new EOFException("tar archive truncated");
      }
      n -= r;
    }
  }

  private byte[] readMeta(long size, String what) throws IOException {
    if (size > MAX_META) {
      throw new LayerFormatException(what + " of " + size + " bytes is larger than " + MAX_META);
    }
    byte[] b = in.readNBytes((int) size);
    if (b.length != size) {
      throw new EOFException(what + " truncated");
    }
    skip((BLOCK - (size % BLOCK)) % BLOCK);
    return b;
  }

  /** PAX extended header: records "LEN key=value\n", LEN counting the whole record. */
  static Map<String, byte[]> paxRecords(byte[] data) throws LayerFormatException {
    Map<String, byte[]> out = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break;
      }
      int sp = pos;
      while (sp < data.length && data[sp] != ' ') {
        sp++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new LayerFormatException("malformed PAX record length");
      }
      int end = pos + len;
      if (len <= 0 || end > data.length || sp >= end || data[end - 1] != '\n') {
        throw new LayerFormatException("malformed PAX record");
      }
      int eq = sp + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw new LayerFormatException("PAX record without '='");
      }
      String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
      byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
      out.put(key, value);
      pos = end;
    }
    return out;
  }

  private void verifyChecksum() throws LayerFormatException {
    long stored = number(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : header[i];
    }
    if (stored != unsigned && stored != signed) {
      throw new LayerFormatException("tar header checksum mismatch (not a tar, or corrupted)");
    }
  }

  /** An octal field (NUL/space padded) or GNU base-256 (high bit of the first byte set). */
  private long number(int off, int len, String what) throws LayerFormatException {
    if ((header[off] & 0x80) != 0) {
      if ((header[off] & 0x40) != 0) {
        throw new LayerFormatException("negative base-256 tar " + what);
      }
      long v = header[off] & 0x3f;
      for (int i = 1; i < len; i++) {
        if ((v >>> 55) != 0) {
          throw new LayerFormatException("tar " + what + " out of range");
        }
        v = (v << 8) | (header[off + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    for (; i < end; i++) {
      byte b = header[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7') {
        throw new LayerFormatException("tar " + what + " field is not octal");
      }
      if ((v >>> 60) != 0) {
        throw new LayerFormatException("tar " + what + " out of range");
      }
      v = (v << 3) | (b - '0');
    }
    return v;
  }

  private static long decimal(byte[] value, String what) throws LayerFormatException {
    try {
      long v = Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new LayerFormatException("PAX " + what + " is not a non-negative number");
    }
  }

  private static FileTime paxTime(byte[] value) throws LayerFormatException {
    String s = new String(value, StandardCharsets.US_ASCII).trim();
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(s);
      long seconds = d.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
      long nanos = d.subtract(java.math.BigDecimal.valueOf(seconds)).movePointRight(9).setScale(0,
          java.math.RoundingMode.FLOOR).longValueExact();
      return FileTime.from(Instant.ofEpochSecond(seconds, nanos));
    } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
      throw new LayerFormatException("PAX mtime '" + s + "' is not a time");
    }
  }

  private byte[] field(int off, int len) {
    int end = off;
    while (end < off + len && header[end] != 0) {
      end++;
    }
    return java.util.Arrays.copyOfRange(header, off, end);
  }

  private static byte[] trimNul(byte[] b) {
    int end = b.length;
    while (end > 0 && b[end - 1] == 0) {
      end--;
    }
    return end == b.length ? b : java.util.Arrays.copyOf(b, end);
  }

  /** Names are UTF-8 (PAX says so; modern writers use it for ustar too); other bytes read as Latin-1. */
  private static String text(byte[] b) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
