package io.berth.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * A multi-platform image: an OCI image index or a Docker manifest list, and the images it lists
 * (each by its manifest of the same format, with its platform).
 */
public record ImageIndex(ManifestFormat format, ManifestBlob manifest, List<BuiltImage> images) {
  public ImageIndex {
    images = List.copyOf(images);
  }

  /** Writes the index of {@code images} in {@code format} into {@code store}. */
  public static ImageIndex of(BlobStore store, ManifestFormat format, List<BuiltImage> images) throws IOException {
    ObjectNode idx = Json.object();
    idx.put("schemaVersion", 2);
    idx.put("mediaType", format.indexMediaType());
    ArrayNode ms = idx.putArray("manifests");
    for (BuiltImage img : images) {
      Descriptor d = img.manifest(format).descriptor();
      ObjectNode e = ms.addObject();
      e.put("mediaType", d.mediaType()).put("digest", d.digest().toString()).put("size", d.size());
      ObjectNode p = e.putObject("platform");
      p.put("architecture", img.platform().architecture()).put("os", img.platform().os());
      img.platform().variant().ifPresent(v -> p.put("variant", v));
    }
    ManifestBlob blob = ManifestBlob.of(format.indexMediaType(), Json.bytes(idx));
    store.put(blob.bytes());
    return new ImageIndex(format, blob, images);
  }
}
