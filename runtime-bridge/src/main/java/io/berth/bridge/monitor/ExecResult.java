package io.berth.bridge.monitor;

/**
 * The outcome of ExecSync.
 *
 * @param exitCode the command's exit code (128+N if killed by signal N); -1 when it timed out
 * @param timedOut the command ran past its timeout and was killed
 * @param stdoutTruncated/stderrTruncated output beyond the cap was dropped
 */
public record ExecResult(byte[] stdout, byte[] stderr, int exitCode, boolean timedOut,
    boolean stdoutTruncated, boolean stderrTruncated) {}
