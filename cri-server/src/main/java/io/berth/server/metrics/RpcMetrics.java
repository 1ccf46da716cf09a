package io.berth.server.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/** Per-RPC latency and outcome, labelled by the full gRPC method name and status code. */
public final class RpcMetrics {
  private final Histogram latency;
  private final Counter requests;

  public RpcMetrics(CollectorRegistry registry) {
    this.latency = Histogram.build()
        .name("berth_grpc_request_duration_seconds")
        .help("Latency of CRI gRPC requests served by berthd.")
        .labelNames("service", "method")
        .buckets(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
        .register(registry);
    this.requests = Counter.build()
        .name("berth_grpc_requests_total")
        .help("CRI gRPC requests served by berthd, by status code.")
        .labelNames("service", "method", "code")
        .register(registry);
  }

  public void record(String service, String method, String code, long nanos) {
    latency.labels(service, method).observe(nanos / 1e9);
    requests.labels(service, method, code).inc();
  }
}
