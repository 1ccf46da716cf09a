package io.berth.server.grpc;

import io.grpc.Server;
import io.grpc.util.MutableHandlerRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** gRPC over a unix domain socket with Netty's native epoll transport, as kubelet dials it. */
public final class UnixSocketServer implements AutoCloseable {
  /** kubelet's ListContainers on a dense node can be large; containerd also allows 16 MiB. */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Server server;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;

  private UnixSocketServer(Server server, EventLoopGroup boss, EventLoopGroup workers) {
    this.server = server;
    this.boss = boss;
    this.workers = workers;
  }

  /**
   * Serves whatever {@code services} holds at each call: berthd swaps its start-up services for the
   * full ones there once its state is restored, without closing the socket.
   */
  public static UnixSocketServer start(Path socket, MutableHandlerRegistry services) throws IOException {
    EventLoopGroup boss = new EpollEventLoopGroup(1);
    // I/O threads only decode and hand off; the handlers run on gRPC's executor.
    EventLoopGroup workers = new EpollEventLoopGroup(2);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        // grpc sets TCP keepalive on every accepted channel; a unix socket has no such option and
        // Netty would warn on each kubelet connection.
        .withChildOption(ChannelOption.SO_KEEPALIVE, null);
    builder.fallbackHandlerRegistry(services);
    try {
      return new UnixSocketServer(builder.build().start(), boss, workers);
    } catch (IOException | RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Stops accepting, lets in-flight calls finish for up to {@code graceSeconds}, then cancels them. */
  public void shutdown(long graceSeconds) throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
      server.shutdownNow();
      server.awaitTermination(2, TimeUnit.SECONDS);
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    shutdown(10);
  }
}
