package io.berth.server.image;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.server.image.manifest.ImageConfigDocument;
import io.berth.server.image.manifest.ManifestException;
import io.berth.server.image.reference.Digest;
import io.berth.server.image.reference.InvalidReferenceException;
import io.berth.server.image.store.ImageRecord;
import io.berth.server.image.store.ImageStore;
import io.berth.server.image.store.LayerRecord;
import io.berth.server.image.store.Snapshot;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image half as the container half sees it: look an image up by what CreateContainer's
 * ImageSpec carries (id, tag or digest reference) and get its layer dirs and run config.
 * Thread safe.
 */
public final class Images {
  private final ImageCatalog catalog;
  private final ImageStore store;
  /** Parsed image configs, made at the first CreateContainer (a node without one never loads the cache). */
  private Cache<Digest, ImageConfigDocument> configs; // guarded by this

  Images(ImageCatalog catalog, ImageStore store) {
    this.catalog = catalog;
    this.store = store;
  }

  /**
   * Resolves a stored image. Throws INVALID_ARGUMENT for a malformed reference and NOT_FOUND for
   * an image that is not stored (or whose snapshots are gone), naming the image.
   */
  public ResolvedImage resolve(String image) {
    ImageRecord r;
    try {
      r = catalog.find(image).orElseThrow(() -> ImageErrors.notFound(image));
    } catch (InvalidReferenceException e) {
      throw ImageErrors.invalidReference(e);
    }
    List<Path> dirs = new ArrayList<>();
    List<Digest> chains = new ArrayList<>();
    List<LayerRecord> layers = r.layers();
    for (int i = layers.size() - 1; i >= 0; i--) {
      Digest chain = layers.get(i).chainId();
      Snapshot s = store.snapshots().get(chain).orElseThrow(() -> Status.NOT_FOUND
          .withDescription("image: \"" + image + "\": snapshot " + chain + " is missing; pull the image again")
          .asRuntimeException());
      dirs.add(s.dir());
      chains.add(chain);
    }
    return new ResolvedImage(r, configDocument(r).config(), dirs, chains);
  }

  /** The stored record, if any (no exception for unknown images). */
  public Optional<ImageRecord> find(String image) {
    try {
      return catalog.find(image);
    } catch (InvalidReferenceException e) {
      throw ImageErrors.invalidReference(e);
    }
  }

  ImageConfigDocument configDocument(ImageRecord r) {
    return configs().get(r.id(), id -> {
      try {
        return ImageConfigDocument.parse(store.content().read(id));
      } catch (IOException e) {
        throw new UncheckedIOException("image config " + id + " unreadable", e);
      } catch (ManifestException e) {
        throw new StatusRuntimeException(Status.DATA_LOSS.withDescription("image: config " + id + ": " + e.getMessage()));
      }
    });
  }

  synchronized void forget(Digest id) {
    if (configs != null) {
      configs.invalidate(id);
    }
  }

  private synchronized Cache<Digest, ImageConfigDocument> configs() {
    if (configs == null) {
      configs = Caffeine.newBuilder().maximumSize(256).build();
    }
    return configs;
  }
}
