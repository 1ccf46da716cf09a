package io.berth.server.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.net.InetSocketAddress;

/** The Prometheus endpoint ({@code /metrics}), started only when {@code metrics.address} is set. */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /** Binds {@code host:port}; also registers the JVM collectors (memory, GC, threads). */
  public static MetricsServer start(String address, CollectorRegistry registry) throws IOException {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(address.substring(colon + 1));
    DefaultExports.register(registry);
    HTTPServer server = new HTTPServer.Builder()
        .withInetSocketAddress(new InetSocketAddress(host, port))
        .withRegistry(registry)
        .withDaemonThreads(true)
        .build();
    return new MetricsServer(server);
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
