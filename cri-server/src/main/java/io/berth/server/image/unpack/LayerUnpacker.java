package io.berth.server.image.unpack;

import io.berth.os.Linux;
import io.berth.os.PosixFiles;
import io.berth.server.image.reference.Digest;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unpacks one layer tar into its own directory, in the form overlayfs takes as a lower dir: OCI
 * whiteouts ({@code .wh.NAME}) become character devices 0:0, opaque markers
 * ({@code .wh..wh..opq}) become {@code trusted.overlay.opaque=y} on their directory. Owners,
 * modes (with setuid/setgid/sticky), mtimes, xattrs, hardlinks, symlinks, devices and fifos are
 * kept. Every path goes through {@link ConfinedRoot}, so a hostile layer cannot write outside the
 * directory; {@code trusted.overlay.*} xattrs in the tar are dropped (only whiteout markers may
 * steer overlayfs).
 *
 * <p>Layers are independent of each other in this form, which is what lets a pull unpack all its
 * layers in parallel, each as its bytes arrive.
 */
public final class LayerUnpacker {
  private static final StructuredLogger LOG = StructuredLogger.get(LayerUnpacker.class);
  static final String WHITEOUT_PREFIX = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";
  static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  private final Linux linux;
  private final PosixFiles files;
  private final UnpackLimits limits;

  public LayerUnpacker(Linux linux, PosixFiles files, UnpackLimits limits) {
    this.linux = linux;
    this.files = files;
    this.limits = limits;
  }

  /**
   * Unpacks the (compressed or plain) layer stream {@code blob} into the empty directory
   * {@code target}, reading {@code blob} to its end. The caller verifies the returned diff id.
   */
  public UnpackResult unpack(InputStream blob, Path target) throws IOException {
    MessageDigest diff = Digest.newSha256();
    try {
      InputStream tar = Decompression.open(blob);
      LimitedInputStream counted = new LimitedInputStream(tar, diff, limits, Files.getFileStore(target));
      Writer writer = new Writer(new ConfinedRoot(target));
      TarReader reader = new TarReader(counted);
      for (TarEntry e; (e = reader.next()) != null; ) {
        writer.apply(e, reader.content());
      }
      writer.finish();
      // The diff id covers the whole uncompressed stream, trailing zero blocks included, and the
      // blob digest covers every compressed byte: read both to the end.
      counted.transferTo(java.io.OutputStream.nullOutputStream());
      blob.transferTo(java.io.OutputStream.nullOutputStream());
      return new UnpackResult(Digest.of(diff.digest()), counted.count(), writer.fileBytes, writer.inodes);
    } catch (java.nio.file.InvalidPathException e) {
      throw new LayerFormatException("layer entry '" + e.getInput() + "' cannot be named in this JVM's file name"
          + " encoding (" + System.getProperty("sun.jnu.encoding") + "); run berthd in a UTF-8 locale (LC_ALL=C.UTF-8)");
    } catch (java.util.zip.ZipException | com.github.luben.zstd.ZstdIOException e) {
      throw new LayerFormatException("layer data does not decompress: " + e.getMessage());
    } catch (java.io.EOFException e) {
      throw new LayerFormatException("layer ends too early: " + e.getMessage());
    }
  }

  /** Writes entries under one confined root; directory times are set last (children change them). */
  private final class Writer {
    private final ConfinedRoot root;
    private final List<Path> dirs = new ArrayList<>();
    private final List<FileTime> dirTimes = new ArrayList<>();
    private final byte[] buffer = new byte[1 << 16];
    long fileBytes;
    long inodes;

    Writer(ConfinedRoot root) {
      this.root = root;
    }

    void apply(TarEntry e, InputStream content) throws IOException {
      ConfinedRoot.Resolved r = root.resolve(e.name(), true);
      String leaf = r.leaf();
      if (leaf.startsWith(WHITEOUT_PREFIX)) {
        whiteout(e, r);
        return;
      }
      Path path = r.path();
      if (leaf.isEmpty()) {
        // "./" itself: the snapshot root takes the entry's attributes.
        if (e.type() == TarEntry.Type.DIRECTORY) {
          attributes(path, e, true);
        }
        return;
      }
      BasicFileAttributes existing = ConfinedRoot.lstat(path);
      if (existing != null && !(existing.isDirectory() && e.type() == TarEntry.Type.DIRECTORY)) {
        removeTree(path);
      }
      switch (e.type()) {
        case DIRECTORY -> {
          if (existing == null || !existing.isDirectory()) {
            Files.createDirectory(path);
            inodes++;
          }
        }
        case FILE -> {
          writeFile(path, content, e);
          fileBytes += e.size();
          inodes++;
        }
        case SYMLINK -> {
          if (e.linkName().isEmpty()) {
            throw new LayerFormatException("layer symlink '" + e.name() + "' has an empty target");
          }
          // The target is stored verbatim: it is only ever followed inside a container's root.
          Files.createSymbolicLink(path, Path.of(e.linkName()));
          inodes++;
        }
        case HARDLINK -> {
          hardlink(e, path);
          return; // a hard link shares the target's inode and attributes
        }
        case CHAR_DEVICE -> mknod(path, S_IFCHR | e.mode(), e);
        case BLOCK_DEVICE -> mknod(path, S_IFBLK | e.mode(), e);
        case FIFO -> mknod(path, S_IFIFO | e.mode(), e);
        default -> throw new LayerFormatException("layer entry '" + e.name() + "' has unsupported type " + e.type());
      }
      attributes(path, e, e.type() == TarEntry.Type.DIRECTORY);
    }

    private void whiteout(TarEntry e, ConfinedRoot.Resolved r) throws IOException {
      String leaf = r.leaf();
      if (leaf.equals(OPAQUE)) {
        linux.setXattr(r.parent().toString(), OVERLAY_OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (leaf.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
        return; // other AUFS metadata (.wh..wh.plnk, .wh..wh.aufs): meaningless for overlayfs
      }
      String hidden = leaf.substring(WHITEOUT_PREFIX.length());
      if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
        throw new LayerFormatException("layer whiteout '" + e.name() + "' names no file");
      }
      Path path = r.parent().resolve(hidden);
      if (ConfinedRoot.lstat(path) != null) {
        removeTree(path);
      }
      linux.mknodWhiteout(path.toString());
      inodes++;
    }

    private void writeFile(Path path, InputStream content, TarEntry e) throws IOException {
      // CREATE_NEW (O_EXCL) never follows a symlink planted at the same name.
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS)) {
        long written = 0;
        for (int n; (n = content.read(buffer)) > 0; ) {
          ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
          while (b.hasRemaining()) {
            ch.write(b);
          }
          written += n;
        }
        if (written != e.size()) {
          throw new LayerFormatException("layer file '" + e.name() + "' truncated");
        }
      }
    }

    private void hardlink(TarEntry e, Path path) throws IOException {
      String notEarlier = "layer hardlink '" + e.name() + "' points to '" + e.linkName()
          + "', which is not an earlier entry of the layer";
      ConfinedRoot.Resolved target;
      try {
        target = root.resolve(e.linkName(), false);
      } catch (LayerFormatException ex) {
        throw new LayerFormatException(notEarlier + " (" + ex.getMessage() + ")");
      }
      Path t = target.path();
      BasicFileAttributes a = ConfinedRoot.lstat(t);
      if (a == null || target.leaf().isEmpty()) {
        throw new LayerFormatException(notEarlier);
      }
      if (a.isDirectory()) {
        throw new LayerFormatException("layer hardlink '" + e.name() + "' points to directory '" + e.linkName() + "'");
      }
      // link(2) does not follow a symlink target: the link is to the entry inside the snapshot.
      Files.createLink(path, t);
    }

    private void mknod(Path path, int mode, TarEntry e) throws IOException {
      linux.mknod(path.toString(), mode, makedev(e.devMajor(), e.devMinor()));
      inodes++;
    }

    private void attributes(Path path, TarEntry e, boolean directory) throws IOException {
      boolean symlink = e.type() == TarEntry.Type.SYMLINK;
      linux.lchown(path.toString(), (int) e.uid(), (int) e.gid());
      if (!symlink) {
        // after chown, which clears setuid/setgid
        files.chmod(path, e.mode());
      }
      for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
        setXattr(path, e, x.getKey(), x.getValue(), symlink);
      }
      if (directory) {
        dirs.add(path);
        dirTimes.add(e.mtime());
      } else {
        files.setTimesNoFollow(path, e.mtime(), e.mtime());
      }
    }

    private void setXattr(Path path, TarEntry e, String name, byte[] value, boolean symlink) throws IOException {
      if (name.startsWith("trusted.overlay.")) {
        LOG.warn("layer xattr dropped", "entry", e.name(), "xattr", name);
        return;
      }
      boolean regularOrDir = e.type() == TarEntry.Type.FILE || e.type() == TarEntry.Type.DIRECTORY;
      if (name.startsWith("user.") && !regularOrDir) {
        // the kernel keeps user.* xattrs on regular files and directories only (EPERM otherwise)
        LOG.debug("layer xattr skipped", "entry", e.name(), "xattr", name, "why", "user.* on a " + e.type());
        return;
      }
      try {
        linux.setXattr(path.toString(), name, value);
      } catch (IOException ex) {
        String m = String.valueOf(ex.getMessage());
        if (m.endsWith("(errno 95)") || m.endsWith("(errno 1)")) {
          // EOPNOTSUPP / EPERM: the image file system cannot hold it; containerd skips these too
          LOG.warn("layer xattr not kept", "entry", e.name(), "xattr", name, "error", m);
          return;
        }
        throw ex;
      }
    }

    void finish() throws IOException {
      for (int i = dirs.size() - 1; i >= 0; i--) {
        BasicFileAttributes a = ConfinedRoot.lstat(dirs.get(i));
        if (a != null && a.isDirectory()) { // a later entry may have replaced it
          FileTime t = dirTimes.get(i);
          files.setTimesNoFollow(dirs.get(i), t, t);
        }
      }
    }

    private void removeTree(Path path) throws IOException {
      BasicFileAttributes a = ConfinedRoot.lstat(path);
      if (a == null) {
        return;
      }
      if (!a.isDirectory()) {
        Files.delete(path);
        return;
      }
      // walkFileTree does not follow symlinks unless asked: only the snapshot's own entries go.
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          if (exc != null) {
            throw exc;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    }
  }

  /** glibc's makedev: 12 bits of major and 20 of minor in the classic split layout. */
  static long makedev(long major, long minor) {
    return ((major & 0xfffL) << 8) | (minor & 0xffL) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
  }
}
