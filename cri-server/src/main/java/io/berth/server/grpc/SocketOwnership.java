package io.berth.server.grpc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes sure exactly one berthd serves a socket path. A lock file next to the socket
 * ({@code berth.sock.lock}, an flock the kernel drops when the process dies, even by SIGKILL)
 * decides ownership; a second berthd fails before it touches anything, so the first is not
 * disturbed. A socket file left by a dead berthd is removed; one that still answers (another
 * program) is never removed.
 */
public final class SocketOwnership implements AutoCloseable {
  private final Path socket;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private SocketOwnership(Path socket, FileChannel lockChannel, FileLock lock) {
    this.socket = socket;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Claims {@code socket}, or throws {@link IOException} saying who owns it. */
  public static SocketOwnership claim(Path socket) throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path lockFile = dir.resolve(socket.getFileName() + ".lock");
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String owner = readOwner(ch);
      ch.close();
      throw new IOException("another berthd" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
          + " is serving " + socket + "; stop it first");
    }
    try {
      removeStaleSocket(socket);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      ch.force(false);
    } catch (IOException | RuntimeException e) {
      lock.release();
      ch.close();
      throw e;
    }
    return new SocketOwnership(socket, ch, lock);
  }

  /** Once the server listens: kubelet's group may connect, nobody else (like containerd's 0660). */
  public void restrictPermissions() throws IOException {
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
  }

  private static void removeStaleSocket(Path socket) throws IOException {
    if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(socket));
      throw new IOException(socket + " is in use by another process (it accepts connections); refusing to replace it");
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("in use by another process")) {
        throw e;
      }
      // Connection refused: nobody listens, the file is left over from a berthd that died.
      Files.deleteIfExists(socket);
    }
  }

  private static String readOwner(FileChannel ch) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      ch.read(buf, 0);
      return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** Removes the socket, then releases the lock: a successor never sees our socket as its own. */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(socket);
    } finally {
      lock.release();
      lockChannel.close();
    }
  }
}
