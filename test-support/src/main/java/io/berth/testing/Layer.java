package io.berth.testing;

/**
 * A layer blob in a {@link BlobStore}: the digest and size of the compressed blob, and the
 * {@code diff_id} (digest of the uncompressed tar) that the image config lists.
 */
public record Layer(Digest digest, long size, Digest diffId, Compression compression) {

  /** The manifest descriptor of this layer in {@code format}. */
  public Descriptor descriptor(ManifestFormat format) {
    String mediaType = compression.mediaType(format).orElseThrow(() -> new IllegalStateException(
        compression + " layers have no media type in " + format + " manifests"));
    return new Descriptor(mediaType, digest, size);
  }
}
