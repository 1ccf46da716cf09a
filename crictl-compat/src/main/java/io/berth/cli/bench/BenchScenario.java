package io.berth.cli.bench;

import java.util.List;

/** One measured lifecycle: its phases (RPC names) and one iteration of it. */
public interface BenchScenario {
    String name();

    /** The phases an iteration records, in order. */
    List<String> phases();

    /** Prepares shared state (e.g. a pod for containers, an image); not measured. */
    default void setup(int workers) {
    }

    /** Runs iteration {@code index} on worker {@code worker}, timing each phase. */
    void iteration(int worker, int index, PhaseRecorder recorder);

    /** Removes everything the scenario created, also after failures. */
    default void teardown() {
    }
}
