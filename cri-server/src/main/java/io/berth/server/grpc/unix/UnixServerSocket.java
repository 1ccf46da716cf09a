package io.berth.server.grpc.unix;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link ServerSocket} listening on a unix domain socket, for servers (grpc-okhttp's) that take
 * a {@link javax.net.ServerSocketFactory}: the JDK's own ServerSocket is TCP only, and its unix
 * domain {@link ServerSocketChannel} has no {@code socket()} adaptor. Only what a blocking accept
 * loop uses is implemented: {@link #bind}, {@link #accept}, {@link #close} and the addresses.
 * The inherited TCP implementation is never touched, so no TCP descriptor is ever opened.
 */
public final class UnixServerSocket extends ServerSocket {
  private static final Logger LOG = Logger.getLogger(UnixServerSocket.class.getName());

  private final Object lock = new Object();
  private ServerSocketChannel channel;
  private boolean closed;

  public UnixServerSocket() throws IOException {
    super();
  }

  @Override
  public void bind(SocketAddress endpoint) throws IOException {
    bind(endpoint, 0);
  }

  /** {@code backlog} 0 or less takes the JDK's default. */
  @Override
  public void bind(SocketAddress endpoint, int backlog) throws IOException {
    if (!(endpoint instanceof UnixDomainSocketAddress)) {
      throw new IllegalArgumentException("not a unix domain socket address: " + endpoint);
    }
    synchronized (lock) {
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      if (channel != null) {
        throw new SocketException("Already bound");
      }
      ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.bind(endpoint, backlog);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      channel = ch;
    }
  }

  /**
   * Blocks until a client connects; a concurrent {@link #close} ends it with an IOException. Any
   * other failure (out of descriptors, a connection reset before it was set up) is logged and
   * waited out: grpc-okhttp's accept loop ends for good on the first exception it sees, which
   * would leave berthd running but unreachable.
   */
  @Override
  public Socket accept() throws IOException {
    long backoffMs = 10;
    while (true) {
      ServerSocketChannel ch;
      synchronized (lock) {
        if (closed) {
          throw new SocketException("Socket is closed");
        }
        if (channel == null) {
          throw new SocketException("Socket is not bound yet");
        }
        ch = channel;
      }
      SocketChannel accepted = null;
      try {
        accepted = ch.accept();
        return new UnixSocket(accepted);
      } catch (IOException e) {
        if (accepted != null) {
          closeQuietly(accepted);
        }
        synchronized (lock) {
          if (closed || !ch.isOpen()) {
            throw e;
          }
        }
        LOG.log(Level.WARNING, "accepting a connection on the CRI socket failed; retrying in " + backoffMs + " ms", e);
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while accepting");
        }
        backoffMs = Math.min(1000, backoffMs * 2);
      }
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  /** Stops listening. The socket file stays: its owner (SocketOwnership) removes it. */
  @Override
  public void close() throws IOException {
    ServerSocketChannel ch;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      ch = channel;
    }
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  public boolean isBound() {
    synchronized (lock) {
      return channel != null;
    }
  }

  @Override
  public boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    synchronized (lock) {
      if (channel == null || closed) {
        return null;
      }
      try {
        return channel.getLocalAddress();
      } catch (IOException e) {
        return null;
      }
    }
  }

  /** Unix sockets have no port; the inherited method would open a TCP descriptor to ask. */
  @Override
  public int getLocalPort() {
    return -1;
  }

  /** Unix sockets have no IP address (see {@link #getLocalPort}). */
  @Override
  public java.net.InetAddress getInetAddress() {
    return null;
  }

  @Override
  public String toString() {
    SocketAddress local = getLocalSocketAddress();
    return "UnixServerSocket[" + (local == null ? "unbound" : local) + "]";
  }
}
