package io.berth.testing;

/** Which family of manifest media types to write: OCI, or Docker's schema 2 (and manifest list). */
public enum ManifestFormat {
  OCI(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.OCI_CONFIG),
  DOCKER(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_CONFIG);

  private final String manifestType;
  private final String indexType;
  private final String configType;

  ManifestFormat(String manifestType, String indexType, String configType) {
    this.manifestType = manifestType;
    this.indexType = indexType;
    this.configType = configType;
  }

  public String manifestMediaType() {
    return manifestType;
  }

  /** The OCI image index, or the Docker manifest list. */
  public String indexMediaType() {
    return indexType;
  }

  public String configMediaType() {
    return configType;
  }
}
