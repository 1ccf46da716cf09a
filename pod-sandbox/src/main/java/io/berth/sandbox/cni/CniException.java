package io.berth.sandbox.cni;

import java.io.IOException;

/**
 * A CNI plugin failed or could not be run. {@code code} is the CNI error code from the plugin's
 * error result (spec section "Error"), 0 when the plugin gave none.
 */
public final class CniException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int code;

  public CniException(String message, int code) {
    super(message);
    this.code = code;
  }

  public CniException(String message, Throwable cause) {
    super(message, cause);
    this.code = 0;
  }

  public int code() {
    return code;
  }
}
