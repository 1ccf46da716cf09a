package io.berth.bridge.oci;

/**
 * What {@code <runtime> state <id>} reports: OCI status {@code creating}, {@code created},
 * {@code running}, {@code paused} or {@code stopped}, and the init pid (0 once stopped).
 */
public record RuntimeState(String id, String status, int pid, String bundle) {
  public boolean isStopped() {
    return "stopped".equals(status);
  }
}
