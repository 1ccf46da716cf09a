package io.berth.sandbox.cni;

import io.berth.os.AtomicFile;
import io.berth.sandbox.store.SandboxJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One cache file per sandbox, {@code <dir>/<sandboxId>.json}, replaced atomically. It lives under
 * the persistent root dir: host-local's IPAM reservations survive a reboot, so must the means to
 * release them.
 */
public final class CniResultCache {
  private final Path dir;

  public CniResultCache(Path dir) {
    this.dir = dir;
  }

  public void write(String sandboxId, CniCacheEntry entry) throws IOException {
    AtomicFile.write(file(sandboxId), SandboxJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(entry));
  }

  public Optional<CniCacheEntry> read(String sandboxId) throws IOException {
    Path f = file(sandboxId);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return Optional.of(SandboxJson.mapper().readValue(f.toFile(), CniCacheEntry.class));
  }

  public void delete(String sandboxId) throws IOException {
    AtomicFile.delete(file(sandboxId));
  }

  Path file(String sandboxId) {
    return dir.resolve(sandboxId + ".json");
  }
}
