package io.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One tar entry of a layer, written exactly as given: the name is not normalised, so hostile names
 * ({@code ../x}, {@code /etc/x}) and link targets pointing anywhere are possible on purpose.
 *
 * <p>{@code mode} holds permission bits only (including setuid, setgid, sticky); the type is
 * {@link Type}. Files carry their {@link Content} and its exact size.
 */
public record LayerEntry(
    Type type,
    String name,
    int mode,
    long uid,
    long gid,
    Content content,
    String linkTarget,
    int devMajor,
    int devMinor,
    Map<String, String> xattrs) {

  /** The tar entry types the test layers use. */
  public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO }

  /** The name prefix OCI layers use to delete a path of a lower layer. */
  public static final String WHITEOUT_PREFIX = ".wh.";
  /** The entry that makes a directory opaque (hides everything of the lower layers in it). */
  public static final String OPAQUE_WHITEOUT = ".wh..wh..opq";

  public LayerEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty entry name");
    }
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("mode holds permission bits only: " + Integer.toOctalString(mode));
    }
    if (type == Type.FILE) {
      Objects.requireNonNull(content, "content of file " + name);
    } else if (content != null) {
      throw new IllegalArgumentException(type + " " + name + " has no content");
    }
    if ((type == Type.SYMLINK || type == Type.HARDLINK) && linkTarget == null) {
      throw new IllegalArgumentException(type + " " + name + " needs a link target");
    }
    xattrs = Map.copyOf(xattrs);
  }

  public static LayerEntry file(String name, int mode, Content content) {
    return new LayerEntry(Type.FILE, name, mode, 0, 0, content, null, 0, 0, Map.of());
  }

  public static LayerEntry file(String name, String text) {
    return file(name, 0644, Content.of(text.getBytes(StandardCharsets.UTF_8)));
  }

  public static LayerEntry directory(String name, int mode) {
    return new LayerEntry(Type.DIRECTORY, name, mode, 0, 0, null, null, 0, 0, Map.of());
  }

  public static LayerEntry symlink(String name, String target) {
    return new LayerEntry(Type.SYMLINK, name, 0777, 0, 0, null, target, 0, 0, Map.of());
  }

  /** A tar hardlink: {@code target} is the name of an earlier entry in the same layer. */
  public static LayerEntry hardlink(String name, String target) {
    return new LayerEntry(Type.HARDLINK, name, 0644, 0, 0, null, target, 0, 0, Map.of());
  }

  public static LayerEntry charDevice(String name, int mode, int major, int minor) {
    return new LayerEntry(Type.CHAR_DEVICE, name, mode, 0, 0, null, null, major, minor, Map.of());
  }

  public static LayerEntry blockDevice(String name, int mode, int major, int minor) {
    return new LayerEntry(Type.BLOCK_DEVICE, name, mode, 0, 0, null, null, major, minor, Map.of());
  }

  public static LayerEntry fifo(String name, int mode) {
    return new LayerEntry(Type.FIFO, name, mode, 0, 0, null, null, 0, 0, Map.of());
  }

  /** An OCI whiteout: deletes {@code path} (relative, e.g. {@code etc/motd}) of the lower layers. */
  public static LayerEntry whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String name = path.substring(0, slash + 1) + WHITEOUT_PREFIX + path.substring(slash + 1);
    return file(name, 0644, Content.of(new byte[0]));
  }

  /** An opaque whiteout: {@code dir} (relative, e.g. {@code etc}) hides its lower-layer contents. */
  public static LayerEntry opaqueWhiteout(String dir) {
    String prefix = dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
    return file(prefix + OPAQUE_WHITEOUT, 0644, Content.of(new byte[0]));
  }

  public LayerEntry withMode(int newMode) {
    return new LayerEntry(type, name, newMode, uid, gid, content, linkTarget, devMajor, devMinor, xattrs);
  }

  public LayerEntry withOwner(long newUid, long newGid) {
    return new LayerEntry(type, name, mode, newUid, newGid, content, linkTarget, devMajor, devMinor, xattrs);
  }

  public LayerEntry withName(String newName) {
    return new LayerEntry(type, newName, mode, uid, gid, content, linkTarget, devMajor, devMinor, xattrs);
  }

  /** Adds an extended attribute, written as a {@code SCHILY.xattr.<key>} PAX header. */
  public LayerEntry withXattr(String key, String value) {
    Map<String, String> more = new TreeMap<>(xattrs);
    more.put(key, value);
    return new LayerEntry(type, name, mode, uid, gid, content, linkTarget, devMajor, devMinor, more);
  }

  /** The size written in the tar header: the content's for files, 0 for everything else. */
  public long size() {
    return type == Type.FILE ? content.size() : 0;
  }

  /**
   * The bytes of a file entry, opened when the layer is written, so a huge file (a decompression
   * bomb) never sits in memory.
   */
  public interface Content {
    long size();

    InputStream open() throws IOException;

    static Content of(byte[] bytes) {
      byte[] copy = bytes.clone();
      return new Content() {
        @Override
        public long size() {
          return copy.length;
        }

        @Override
        public InputStream open() {
          return new java.io.ByteArrayInputStream(copy);
        }
      };
    }

    /** The content of a file on the host, read when the layer is written. */
    static Content ofHostFile(Path file) throws IOException {
      long size = Files.size(file);
      return new Content() {
        @Override
        public long size() {
          return size;
        }

        @Override
        public InputStream open() throws IOException {
          return Files.newInputStream(file);
        }
      };
    }

    /** {@code size} zero bytes, generated while writing: compresses to almost nothing. */
    static Content zeros(long size) {
      return repeating((byte) 0, size);
    }

    static Content repeating(byte value, long size) {
      if (size < 0) {
        throw new IllegalArgumentException("negative size " + size);
      }
      return new Content() {
        @Override
        public long size() {
          return size;
        }

        @Override
        public InputStream open() {
          return new RepeatingInputStream(value, size);
        }
      };
    }
  }

  /** An endless-looking stream of one byte value that ends after {@code length} bytes. */
  private static final class RepeatingInputStream extends InputStream {
    private final byte value;
    private long remaining;

    RepeatingInputStream(byte value, long length) {
      this.value = value;
      this.remaining = length;
    }

    @Override
    public int read() {
      if (remaining == 0) {
        return -1;
      }
      remaining--;
      return value & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      java.util.Arrays.fill(b, off, off + n, value);
      remaining -= n;
      return n;
    }
  }
}
