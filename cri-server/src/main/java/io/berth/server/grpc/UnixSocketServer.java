package io.berth.server.grpc;

import io.berth.server.grpc.unix.UnixServerSocketFactory;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * gRPC over a unix domain socket, as kubelet dials it, with grpc-okhttp's server transport on the
 * JDK's own unix domain channels (see {@link UnixServerSocketFactory}). grpc-netty, the usual
 * server transport, brought ~950 classes into berthd's start-up for a single local client: with
 * OkHttp the first Version answers ~100 ms sooner at ~130 ms less CPU, and idle RSS is ~8.5 MB
 * lower (docs/benchmarks.md). OkHttp's transport is blocking, one reader thread per connection;
 * kubelet holds one or two.
 *
 * <p>Known difference: a request over {@link #MAX_MESSAGE_BYTES} is reset, and grpc-okhttp (1.82)
 * drops the rest of its DATA without crediting the connection's flow-control window, so the
 * connection that sent it may stall; other connections are unaffected. CRI requests are small.
 */
public final class UnixSocketServer implements AutoCloseable {
  /** kubelet's ListContainers on a dense node can be large; containerd also allows 16 MiB. */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Server server;

  private UnixSocketServer(Server server) {
    this.server = server;
  }

  /**
   * Serves whatever {@code services} holds at each call: berthd swaps its start-up services for the
   * full ones there once its state is restored, without closing the socket. The socket file must
   * not exist (SocketOwnership removes a stale one); its directory must.
   */
  public static UnixSocketServer start(Path socket, MutableHandlerRegistry services) throws IOException {
    OkHttpServerBuilder builder = OkHttpServerBuilder
        .forPort(UnixDomainSocketAddress.of(socket), InsecureServerCredentials.create())
        .socketFactory(new UnixServerSocketFactory())
        .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    builder.fallbackHandlerRegistry(services);
    return new UnixSocketServer(builder.build().start());
  }

  /** Stops accepting, lets in-flight calls finish for up to {@code graceSeconds}, then cancels them. */
  public void shutdown(long graceSeconds) throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
      server.shutdownNow();
      server.awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    shutdown(10);
  }
}
