package io.berth.server.image.manifest;

import io.berth.server.image.reference.Digest;
import java.util.Map;
import java.util.Objects;

/** An OCI content descriptor: what a manifest says about a blob (type, digest, exact size). */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform,
    Map<String, String> annotations) {
  public Descriptor {
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("descriptor " + digest + " has negative size " + size);
    }
    mediaType = mediaType == null ? "" : mediaType;
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, null, Map.of());
  }
}
