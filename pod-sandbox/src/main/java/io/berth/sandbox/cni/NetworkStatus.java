package io.berth.sandbox.cni;

/**
 * Whether pod networking can work right now, for the CRI {@code NetworkReady} runtime condition.
 * {@code reason} is CamelCase (as kubelet expects), {@code message} names what is missing.
 */
public record NetworkStatus(boolean ready, String reason, String message) {
  public static final String NOT_READY_REASON = "NetworkPluginNotReady";

  public static NetworkStatus ok() {
    return new NetworkStatus(true, "", "");
  }

  public static NetworkStatus notReady(String message) {
    return new NetworkStatus(false, NOT_READY_REASON, message);
  }
}
