package io.berth.sandbox.files;

import java.io.IOException;
import java.nio.file.Path;

/** A pod's own {@code /dev/shm}: one tmpfs that every container of the pod mounts. */
public interface ShmMounter {
  /** Creates {@code dir} and mounts a tmpfs of {@code sizeBytes} on it (idempotent). */
  void mount(Path dir, long sizeBytes) throws IOException;

  /** Unmounts (detaching) and removes {@code dir}; missing is fine. */
  void unmount(Path dir) throws IOException;
}
