package io.berth.server.image.store;

import io.berth.server.image.reference.Digest;
import java.util.Set;

/**
 * Implemented by the container side: the snapshots (by chain id) that existing containers use as
 * their lower layers. Image garbage collection never removes one of these, even when no image
 * references it any more (an image removed while a container still runs from it).
 */
@FunctionalInterface
public interface SnapshotUsage {
  SnapshotUsage NONE = Set::of;

  Set<Digest> snapshotsInUse();
}
