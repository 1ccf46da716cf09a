package io.berth.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a scenario: warm-up iterations (not recorded), then {@code count} measured iterations shared by
 * {@code concurrency} workers. Bounded by count, so it always ends; failures are counted, and the first
 * few messages kept.
 */
public final class BenchRunner {
    private static final int KEPT_ERRORS = 10;

    private BenchRunner() {
    }

    public record Outcome(int succeeded, int failed, double wallSeconds, PhaseRecorder recorder, List<String> errors) {
    }

    public static Outcome run(BenchScenario scenario, int count, int concurrency, int warmup) {
        PhaseRecorder recorder = new PhaseRecorder(scenario.phases());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        scenario.setup(concurrency);
        try {
            recorder.setRecording(false);
            runPhase(scenario, recorder, warmup, concurrency, 0, new AtomicInteger(), new AtomicInteger(), errors);
            errors.clear();
            recorder.setRecording(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            long start = System.nanoTime();
            runPhase(scenario, recorder, count, concurrency, warmup, ok, failed, errors);
            double wall = (System.nanoTime() - start) / 1e9;
            return new Outcome(ok.get(), failed.get(), wall, recorder, List.copyOf(errors));
        } finally {
            scenario.teardown();
        }
    }

    private static void runPhase(BenchScenario scenario, PhaseRecorder recorder, int iterations, int concurrency,
                                 int indexBase, AtomicInteger ok, AtomicInteger failed, List<String> errors) {
        if (iterations <= 0) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            Thread t = new Thread(() -> {
                while (true) {
                    int i = next.getAndIncrement();
                    if (i >= iterations) {
                        return;
                    }
                    long start = System.nanoTime();
                    try {
                        scenario.iteration(worker, indexBase + i, recorder);
                        recorder.record("total", System.nanoTime() - start);
                        ok.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        if (errors.size() < KEPT_ERRORS) {
                            errors.add(e.getMessage() == null ? e.toString() : e.getMessage());
                        }
                    }
                }
            }, "bench-worker-" + w);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
