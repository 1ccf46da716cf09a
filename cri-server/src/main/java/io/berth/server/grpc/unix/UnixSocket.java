package io.berth.server.grpc.unix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * One accepted unix domain connection as a {@link Socket}, for grpc-okhttp's server transport,
 * which reads and writes through the socket's streams from two threads at once and closes it
 * from a third. The streams call the channel directly: on JDK 17 the streams of
 * {@link java.nio.channels.Channels} hold the channel's blocking lock for a whole read, so a writer
 * would wait behind a reader blocked for the client's next frame (seen on 17.0.15). The channel
 * itself reads and writes concurrently, and its close wakes a blocked reader with an IOException.
 * TCP options have no meaning here: setting them is a no-op and reading them gives the defaults,
 * so nothing falls through to the inherited TCP implementation (which would open a TCP descriptor).
 * Unlike a plain Socket, an interrupt of a thread blocked in a read or write closes the whole
 * connection (the channel is interruptible); grpc-okhttp interrupts its threads only when the
 * server shuts down, when that is what is wanted.
 */
public final class UnixSocket extends Socket {
  private final SocketChannel channel;
  private final SocketAddress local;
  private final SocketAddress remote;
  private final InputStream in;
  private final OutputStream out;

  public UnixSocket(SocketChannel channel) throws IOException {
    super();
    this.channel = Objects.requireNonNull(channel, "channel");
    if (!channel.isBlocking()) {
      throw new IllegalArgumentException("the streams need a blocking channel");
    }
    // Kept: a closed channel no longer tells its addresses, and logs still name the connection.
    this.local = channel.getLocalAddress();
    this.remote = channel.getRemoteAddress();
    this.in = new ChannelIn();
    this.out = new ChannelOut();
  }

  @Override
  public InputStream getInputStream() throws IOException {
    ensureOpen();
    return in;
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    ensureOpen();
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public boolean isClosed() {
    return !channel.isOpen();
  }

  @Override
  public boolean isConnected() {
    return true;
  }

  @Override
  public boolean isBound() {
    return true;
  }

  @Override
  public void shutdownInput() throws IOException {
    channel.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return local;
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return remote;
  }

  @Override
  public InetAddress getInetAddress() {
    return null;
  }

  @Override
  public InetAddress getLocalAddress() {
    return null;
  }

  @Override
  public int getPort() {
    return 0;
  }

  @Override
  public int getLocalPort() {
    return -1;
  }

  /** No Nagle on unix sockets: every write goes out as it is. */
  @Override
  public void setTcpNoDelay(boolean on) {
  }

  @Override
  public boolean getTcpNoDelay() {
    return true;
  }

  @Override
  public void setKeepAlive(boolean on) {
  }

  @Override
  public boolean getKeepAlive() {
    return false;
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    if (timeout != 0) {
      // A channel's blocking read has no timeout; pretending to honour one would hang callers.
      throw new SocketException("read timeouts are not supported on this unix domain socket");
    }
  }

  @Override
  public int getSoTimeout() {
    return 0;
  }

  @Override
  public int getSoLinger() {
    return -1;
  }

  @Override
  public boolean getReuseAddress() {
    return false;
  }

  @Override
  public boolean getOOBInline() {
    return false;
  }

  @Override
  public int getTrafficClass() {
    return 0;
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return intOption(StandardSocketOptions.SO_SNDBUF);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return intOption(StandardSocketOptions.SO_RCVBUF);
  }

  private int intOption(java.net.SocketOption<Integer> option) throws SocketException {
    try {
      return channel.getOption(option);
    } catch (SocketException e) {
      throw e;
    } catch (IOException e) {
      throw new SocketException(e.getMessage());
    }
  }

  private void ensureOpen() throws SocketException {
    if (!channel.isOpen()) {
      throw new SocketException("Socket is closed");
    }
  }

  @Override
  public String toString() {
    return "UnixSocket[local=" + local + ", remote=" + remote + (isClosed() ? ", closed" : "") + "]";
  }

  private final class ChannelIn extends InputStream {
    @Override
    public int read() throws IOException {
      ByteBuffer one = ByteBuffer.allocate(1);
      return channel.read(one) < 0 ? -1 : one.get(0) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      // A blocking channel returns at least one byte, or -1 at end of stream.
      return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() throws IOException {
      UnixSocket.this.close();
    }
  }

  private final class ChannelOut extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    }

    @Override
    public void close() throws IOException {
      UnixSocket.this.close();
    }
  }
}
