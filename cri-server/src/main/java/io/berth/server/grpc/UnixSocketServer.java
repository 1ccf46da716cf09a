package io.berth.server.grpc;

import io.berth.os.DaemonThreads;
import io.berth.server.grpc.unix.UnixServerSocketFactory;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 *
 * <p>The server's threads come from executors made here, not from gRPC's shared defaults: those
 * name their threads through Guava's ThreadFactoryBuilder, whose {@code String.format("%d")}
 * initialises the JDK's CLDR locale provider (76 classes at start-up, which deploy/train-cds.sh
 * would otherwise put in berthd's JDK archive). The pools are the defaults' kind (cached pools of
 * daemon threads, one timer thread).
 */
public final class UnixSocketServer implements AutoCloseable {
  /** kubelet's ListContainers on a dense node can be large; containerd also allows 16 MiB. */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Server server;
  private final ExecutorService calls;
  private final ExecutorService transport;
  private final ScheduledThreadPoolExecutor timer;

  private UnixSocketServer(Server server, ExecutorService calls, ExecutorService transport,
      ScheduledThreadPoolExecutor timer) {
    this.server = server;
    this.calls = calls;
    this.transport = transport;
    this.timer = timer;
  }

  /**
   * Serves whatever {@code services} holds at each call: berthd swaps its start-up services for the
   * full ones there once its state is restored, without closing the socket. The socket file must
   * not exist (SocketOwnership removes a stale one); its directory must.
   */
  public static UnixSocketServer start(Path socket, MutableHandlerRegistry services) throws IOException {
    ExecutorService calls = Executors.newCachedThreadPool(DaemonThreads.named("grpc-call"));
    ExecutorService transport = Executors.newCachedThreadPool(DaemonThreads.named("grpc-transport"));
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("grpc-timer"));
    // Deadlines and keepalives are mostly cancelled before they fire; do not keep them queued.
    timer.setRemoveOnCancelPolicy(true);
    OkHttpServerBuilder builder = OkHttpServerBuilder
        .forPort(UnixDomainSocketAddress.of(socket), InsecureServerCredentials.create())
        .socketFactory(new UnixServerSocketFactory())
        .transportExecutor(transport)
        .scheduledExecutorService(timer)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    builder.executor(calls);
    builder.fallbackHandlerRegistry(services);
    try {
      return new UnixSocketServer(builder.build().start(), calls, transport, timer);
    } catch (IOException | RuntimeException e) {
      calls.shutdownNow();
      transport.shutdownNow();
      timer.shutdownNow();
      throw e;
    }
  }


  /** Stops accepting, lets in-flight calls finish for up to {@code graceSeconds}, then cancels them. */
  public void shutdown(long graceSeconds) throws InterruptedException {
    try {
      server.shutdown();
      if (!server.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
    } finally {
      // The server does not own executors it was given. A handler still running writes its reply
      // through the transport executor: give it a moment before that one stops.
      calls.shutdown();
      calls.awaitTermination(1, TimeUnit.SECONDS);
      transport.shutdown();
      timer.shutdownNow();
    }
  }

  @Override
  public void close() throws InterruptedException {
    shutdown(10);
  }
}
