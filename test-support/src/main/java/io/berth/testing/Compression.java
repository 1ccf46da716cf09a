package io.berth.testing;

import java.util.Optional;

/** How a layer tar is compressed, with the layer media type each manifest format uses for it. */
public enum Compression {
  GZIP(MediaTypes.OCI_LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP),
  /** Only OCI manifests can carry zstd layers; Docker schema 2 has no media type for them. */
  ZSTD(MediaTypes.OCI_LAYER_ZSTD, null),
  NONE(MediaTypes.OCI_LAYER_TAR, MediaTypes.DOCKER_LAYER_TAR);

  private final String ociMediaType;
  private final String dockerMediaType;

  Compression(String ociMediaType, String dockerMediaType) {
    this.ociMediaType = ociMediaType;
    this.dockerMediaType = dockerMediaType;
  }

  /** The layer media type in a manifest of this format, empty where the format has none. */
  public Optional<String> mediaType(ManifestFormat format) {
    return Optional.ofNullable(format == ManifestFormat.OCI ? ociMediaType : dockerMediaType);
  }
}
