package io.berth.server.grpc.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixServerSocketTest {
  @TempDir Path dir;

  @Test
  void bindsAcceptsAndCarriesBytesBothWays() throws Exception {
    Path path = dir.resolve("s.sock");
    try (ServerSocket server = new UnixServerSocketFactory().createServerSocket()) {
      assertFalse(server.isBound());
      server.bind(UnixDomainSocketAddress.of(path));
      assertTrue(server.isBound());
      assertEquals(UnixDomainSocketAddress.of(path), server.getLocalSocketAddress());
      assertTrue(Files.exists(path), "bind creates the socket file");
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
          Socket accepted = server.accept()) {
        assertInstanceOf(UnixSocket.class, accepted);
        assertEquals(UnixDomainSocketAddress.of(path), accepted.getLocalSocketAddress());
        assertInstanceOf(UnixDomainSocketAddress.class, accepted.getRemoteSocketAddress());
        client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        byte[] got = accepted.getInputStream().readNBytes(3);
        assertArrayEquals(new byte[] {1, 2, 3}, got);
        accepted.getOutputStream().write(new byte[] {4, 5});
        ByteBuffer back = ByteBuffer.allocate(2);
        while (back.hasRemaining()) {
          client.read(back);
        }
        assertArrayEquals(new byte[] {4, 5}, back.array());
        client.close();
        assertEquals(-1, accepted.getInputStream().read(), "end of stream once the client closed");
      }
    }
  }

  /**
   * The reason this adapter has its own streams: the transport's reader waits for the client's
   * next frame while its writer answers. With the JDK 17 Channels streams the write would wait
   * for the read.
   */
  @Test
  void writesWhileAnotherThreadIsBlockedInRead() throws Exception {
    try (Connected c = connect()) {
      SocketChannel client = c.client();
      Socket accepted = c.accepted();
      InputStream in = accepted.getInputStream();
      CompletableFuture<Integer> reader = async(in::read);
      Thread.sleep(100); // let the reader block
      CompletableFuture<Void> writer = async(() -> {
        accepted.getOutputStream().write(new byte[] {42});
        return null;
      });
      writer.get(5, TimeUnit.SECONDS);
      ByteBuffer one = ByteBuffer.allocate(1);
      client.read(one);
      assertEquals(42, one.get(0));
      assertFalse(reader.isDone(), "the reader still waits for the client");
      client.write(ByteBuffer.wrap(new byte[] {7}));
      assertEquals(7, reader.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void closeWakesABlockedReadAndABlockedAccept() throws Exception {
    Path path = dir.resolve("s.sock");
    ServerSocket server = bound(path);
    try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      Socket accepted = server.accept();
      CompletableFuture<Integer> reader = async(() -> accepted.getInputStream().read());
      CompletableFuture<Socket> acceptor = async(server::accept);
      Thread.sleep(100);
      accepted.close();
      server.close();
      ExecutionException readFailure = assertThrows(ExecutionException.class, () -> reader.get(5, TimeUnit.SECONDS));
      assertInstanceOf(IOException.class, readFailure.getCause());
      ExecutionException acceptFailure = assertThrows(ExecutionException.class, () -> acceptor.get(5, TimeUnit.SECONDS));
      assertInstanceOf(IOException.class, acceptFailure.getCause());
      assertTrue(accepted.isClosed());
      assertTrue(server.isClosed());
      assertThrows(SocketException.class, accepted::getInputStream);
      assertThrows(SocketException.class, server::accept);
      assertNull(server.getLocalSocketAddress());
      // closing is idempotent, as for the JDK's sockets
      accepted.close();
      server.close();
    }
  }

  /** grpc-okhttp sets TCP_NODELAY on every connection and reads TCP options for channelz. */
  @Test
  void tcpOptionsAreHarmlessNoOps() throws Exception {
    try (Connected c = connect()) {
      Socket accepted = c.accepted();
      ServerSocket server = c.server();
      accepted.setTcpNoDelay(true);
      accepted.setKeepAlive(true);
      accepted.setSoTimeout(0);
      assertEquals(0, accepted.getSoTimeout());
      assertEquals(-1, accepted.getSoLinger());
      assertTrue(accepted.getSendBufferSize() > 0);
      assertTrue(accepted.getReceiveBufferSize() > 0);
      assertEquals(-1, accepted.getLocalPort());
      assertEquals(-1, server.getLocalPort());
      assertThrows(SocketException.class, () -> accepted.setSoTimeout(1000), "no read timeouts on a channel's streams");
    }
  }

  @Test
  void refusesTcpAddressesAndASecondBind() throws Exception {
    Path path = dir.resolve("s.sock");
    UnixServerSocketFactory factory = new UnixServerSocketFactory();
    assertThrows(UnsupportedOperationException.class, () -> factory.createServerSocket(8080));
    try (ServerSocket server = factory.createServerSocket()) {
      assertThrows(IllegalArgumentException.class, () -> server.bind(new InetSocketAddress(0)));
      server.bind(UnixDomainSocketAddress.of(path));
      assertThrows(SocketException.class, () -> server.bind(UnixDomainSocketAddress.of(dir.resolve("other.sock"))));
    }
    try (ServerSocket second = factory.createServerSocket()) {
      assertThrows(IOException.class, () -> second.bind(UnixDomainSocketAddress.of(path)),
          "the file left by the first server is in the way (SocketOwnership removes stale ones)");
    }
  }

  /** A listening socket, a client connected to it, and the server's side of that connection. */
  private record Connected(ServerSocket server, SocketChannel client, Socket accepted) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try (server; client; accepted) {
        // closes all three, as the try-with-resources of a test would
      }
    }
  }

  private Connected connect() throws IOException {
    Path path = dir.resolve("s.sock");
    ServerSocket server = bound(path);
    SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
    return new Connected(server, client, server.accept());
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  /** Runs {@code call} on another thread; an IOException it throws fails the future as is. */
  private static <T> CompletableFuture<T> async(IoCall<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(call.call());
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    t.setDaemon(true);
    t.start();
    return result;
  }

  private static ServerSocket bound(Path path) throws IOException {
    ServerSocket server = new UnixServerSocketFactory().createServerSocket();
    server.bind(UnixDomainSocketAddress.of(path));
    return server;
  }
}
