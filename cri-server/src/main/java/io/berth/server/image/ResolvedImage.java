package io.berth.server.image;

import io.berth.server.image.manifest.ImageConfig;
import io.berth.server.image.reference.Digest;
import io.berth.server.image.store.ImageRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * A stored image as the container side needs it: the record (id, names), the run config, and the
 * layer snapshot dirs in overlayfs {@code lowerdir} order, top layer first, with their chain ids in
 * the same order (report those chain ids through {@link io.berth.server.image.store.SnapshotUsage}
 * while a container uses them).
 */
public record ResolvedImage(ImageRecord record, ImageConfig config, List<Path> layerDirs, List<Digest> chainIds) {
  public ResolvedImage {
    layerDirs = List.copyOf(layerDirs);
    chainIds = List.copyOf(chainIds);
  }

  public Digest id() {
    return record.id();
  }

  /** The {@code lowerdir=} option value for an overlay mount of this image. */
  public String overlayLowerDir() {
    StringBuilder sb = new StringBuilder();
    for (Path p : layerDirs) {
      if (sb.length() > 0) {
        sb.append(':');
      }
      sb.append(p);
    }
    return sb.toString();
  }
}
