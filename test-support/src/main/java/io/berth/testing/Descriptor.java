package io.berth.testing;

/** What a manifest says about a blob it references: media type, digest and size in bytes. */
public record Descriptor(String mediaType, Digest digest, long size) {
  public Descriptor {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }
}
