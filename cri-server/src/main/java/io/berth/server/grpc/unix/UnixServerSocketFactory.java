package io.berth.server.grpc.unix;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import javax.net.ServerSocketFactory;

/**
 * Makes {@link UnixServerSocket}s: the server binds them to a
 * {@link java.net.UnixDomainSocketAddress} itself. The TCP-shaped overloads make no sense for a
 * unix socket and fail.
 */
public final class UnixServerSocketFactory extends ServerSocketFactory {
  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new UnixServerSocket();
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    throw tcpOnly();
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    throw tcpOnly();
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
    throw tcpOnly();
  }

  private static UnsupportedOperationException tcpOnly() {
    return new UnsupportedOperationException("a unix domain socket has no port; bind to a UnixDomainSocketAddress");
  }
}
