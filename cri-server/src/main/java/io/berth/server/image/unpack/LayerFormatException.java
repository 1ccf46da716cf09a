package io.berth.server.image.unpack;

import java.io.IOException;

/**
 * A layer that is refused: a malformed tar, an entry that would escape the snapshot, a layer past
 * the size limit. The message names the entry and the rule it broke.
 */
public class LayerFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public LayerFormatException(String message) {
    super(message);
  }
}
