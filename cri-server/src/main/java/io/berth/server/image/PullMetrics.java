package io.berth.server.image;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/** Image pulls: how many by outcome (a gRPC status code name), bytes fetched from registries, duration. */
final class PullMetrics {
  private final Counter pulls;
  private final Counter bytes;
  private final Histogram duration;

  PullMetrics(CollectorRegistry registry) {
    pulls = Counter.build()
        .name("berth_image_pulls_total")
        .help("Image pulls by outcome (OK or the gRPC status code of the failure).")
        .labelNames("outcome")
        .register(registry);
    bytes = Counter.build()
        .name("berth_image_pull_bytes_total")
        .help("Bytes of blobs downloaded from registries (content already stored is not counted).")
        .register(registry);
    duration = Histogram.build()
        .name("berth_image_pull_duration_seconds")
        .help("Duration of image pulls, successful or not.")
        .buckets(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
        .register(registry);
  }

  void record(String outcome, long downloadedBytes, long nanos) {
    pulls.labels(outcome).inc();
    bytes.inc(downloadedBytes);
    duration.observe(nanos / 1e9);
  }
}
