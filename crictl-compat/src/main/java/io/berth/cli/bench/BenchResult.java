package io.berth.cli.bench;

import java.util.List;
import java.util.Map;

/** The outcome of one bench run. */
public record BenchResult(String scenario, String endpoint, String runtimeName, String runtimeVersion, int count,
                          int concurrency, int warmup, int succeeded, int failed, double wallSeconds,
                          Map<String, LatencyStats> phases, List<String> errors) {
    public double opsPerSecond() {
        return wallSeconds > 0 ? succeeded / wallSeconds : 0;
    }
}
