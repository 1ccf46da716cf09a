package io.berth.cli.logs;

import java.time.Instant;

/** What to print from a CRI log: as kubelet's LogOptions (tail -1 and bytes -1 mean everything). */
public record LogOptions(long tail, long bytes, Instant since, boolean follow, boolean timestamps) {
}
