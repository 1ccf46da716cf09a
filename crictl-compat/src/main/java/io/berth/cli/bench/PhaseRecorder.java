package io.berth.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Collects per-phase latencies from all workers; thread-safe. */
public final class PhaseRecorder {
    private final Map<String, List<Long>> samples = new LinkedHashMap<>();
    private volatile boolean recording = true;

    public PhaseRecorder(List<String> phases) {
        for (String p : phases) {
            samples.put(p, new ArrayList<>());
        }
        samples.put("total", new ArrayList<>());
    }

    void setRecording(boolean recording) {
        this.recording = recording;
    }

    /** Times {@code call} as one sample of {@code phase}. */
    public <T> T time(String phase, Supplier<T> call) {
        long start = System.nanoTime();
        T result = call.get();
        record(phase, System.nanoTime() - start);
        return result;
    }

    public void record(String phase, long nanos) {
        if (!recording) {
            return;
        }
        List<Long> list = samples.get(phase);
        synchronized (list) {
            list.add(nanos);
        }
    }

    Map<String, LatencyStats> summary() {
        Map<String, LatencyStats> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Long>> e : samples.entrySet()) {
            List<Long> list = e.getValue();
            long[] arr;
            synchronized (list) {
                arr = list.stream().mapToLong(Long::longValue).toArray();
            }
            out.put(e.getKey(), LatencyStats.of(arr));
        }
        return out;
    }
}
