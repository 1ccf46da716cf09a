package io.berth.server.image.store;

import io.berth.server.image.reference.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A pulled image as berth remembers it across restarts. {@code id} is the config digest (what CRI
 * calls the image id and PullImage returns). {@code target} is the manifest (or index) the
 * reference resolved to, {@code manifest} the platform manifest; {@code blobs} lists every blob
 * the image holds in the content store (index, manifest, config, layers) for garbage collection.
 * {@code size} is the content size (manifest, config and compressed layers), as containerd
 * reports it.
 */
public record ImageRecord(
    Digest id,
    List<String> repoTags,
    List<String> repoDigests,
    Digest target,
    Digest manifest,
    List<LayerRecord> layers,
    List<Digest> blobs,
    long size,
    Long uid,
    String username,
    boolean pinned,
    Instant pulledAt) {

  public ImageRecord {
    Objects.requireNonNull(id, "id");
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
    layers = List.copyOf(layers);
    blobs = List.copyOf(blobs);
    username = username == null ? "" : username;
  }

  public List<Digest> chainIds() {
    List<Digest> out = new ArrayList<>();
    for (LayerRecord l : layers) {
      out.add(l.chainId());
    }
    return out;
  }

  public ImageRecord withNames(List<String> tags, List<String> digests) {
    return new ImageRecord(id, tags, digests, target, manifest, layers, blobs, size, uid, username, pinned, pulledAt);
  }

  public ImageRecord withPinned(boolean p) {
    return new ImageRecord(id, repoTags, repoDigests, target, manifest, layers, blobs, size, uid, username, p, pulledAt);
  }

  /** This image after another pull resolved to it: names merged, newest content facts kept. */
  public ImageRecord mergedWith(ImageRecord newer) {
    Set<String> tags = new LinkedHashSet<>(repoTags);
    tags.addAll(newer.repoTags);
    Set<String> digests = new LinkedHashSet<>(repoDigests);
    digests.addAll(newer.repoDigests);
    Set<Digest> allBlobs = new LinkedHashSet<>(blobs);
    allBlobs.addAll(newer.blobs);
    return new ImageRecord(id, List.copyOf(tags), List.copyOf(digests), newer.target, newer.manifest, newer.layers,
        List.copyOf(allBlobs), newer.size, newer.uid, newer.username, pinned || newer.pinned, newer.pulledAt);
  }
}
