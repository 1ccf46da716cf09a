package io.berth.server.image.registry;

import java.io.InterruptedIOException;

/** No byte arrived within the stall timeout; the download was cancelled. */
public final class StallingBodyException extends InterruptedIOException {
  private static final long serialVersionUID = 1L;

  public StallingBodyException(String message) {
    super(message);
  }
}
