package io.berth.server.image;

import io.berth.server.image.reference.Digest;
import io.berth.server.image.reference.ImageReference;
import io.berth.server.image.reference.InvalidReferenceException;
import io.berth.server.image.store.ImageRecord;
import io.berth.server.image.store.ImageRecordStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names of stored images: finds an image by what kubelet or crictl pass (an id, a reference
 * with tag or digest, a unique id prefix), saves a pulled image (moving its tag away from the
 * image that had it), removes one. Pinning follows the configured sandbox image.
 */
final class ImageCatalog {
  private static final Pattern FULL_ID = Pattern.compile("(sha256:)?[a-f0-9]{64}");
  private static final Pattern ID_PREFIX = Pattern.compile("(sha256:)?[a-f0-9]{3,63}");

  private final ImageRecordStore records;
  private final ImageReference sandboxImage;

  ImageCatalog(ImageRecordStore records, ImageReference sandboxImage) {
    this.records = records;
    this.sandboxImage = sandboxImage;
  }

  List<ImageRecord> all() {
    return records.all();
  }

  /**
   * Finds an image. Throws {@link InvalidReferenceException} when {@code image} is neither an id
   * nor a valid reference.
   */
  Optional<ImageRecord> find(String image) {
    if (image == null || image.isEmpty()) {
      throw new InvalidReferenceException("", "empty");
    }
    if (FULL_ID.matcher(image).matches()) {
      Digest id = Digest.parse(image.startsWith("sha256:") ? image : "sha256:" + image);
      Optional<ImageRecord> byId = records.get(id);
      if (byId.isPresent()) {
        return byId;
      }
    }
    ImageReference ref = null;
    InvalidReferenceException invalid = null;
    try {
      ref = ImageReference.parse(image);
    } catch (InvalidReferenceException e) {
      invalid = e;
    }
    if (ref != null) {
      String name = ref.toString();
      for (ImageRecord r : records.all()) {
        if (r.repoTags().contains(name) || r.repoDigests().contains(name)) {
          return Optional.of(r);
        }
      }
    }
    if (ID_PREFIX.matcher(image).matches()) {
      String prefix = image.startsWith("sha256:") ? image.substring(7) : image;
      List<ImageRecord> matches = new ArrayList<>();
      for (ImageRecord r : records.all()) {
        if (r.id().hex().startsWith(prefix)) {
          matches.add(r);
        }
      }
      if (matches.size() == 1) {
        return Optional.of(matches.get(0));
      }
      return Optional.empty();
    }
    if (invalid != null) {
      throw invalid;
    }
    return Optional.empty();
  }

  /** Saves a pulled image: merges with an existing record of the same id; a tag moves to it. */
  ImageRecord save(ImageRecord pulled) throws IOException {
    ImageRecord[] saved = new ImageRecord[1];
    records.update(all -> {
      for (Map.Entry<Digest, ImageRecord> e : all.entrySet()) {
        ImageRecord other = e.getValue();
        if (other.id().equals(pulled.id())) {
          continue;
        }
        List<String> tags = new ArrayList<>(other.repoTags());
        if (tags.removeAll(pulled.repoTags())) {
          e.setValue(withPin(other.withNames(tags, other.repoDigests())));
        }
      }
      ImageRecord existing = all.get(pulled.id());
      ImageRecord merged = withPin(existing == null ? pulled : existing.mergedWith(pulled));
      all.put(merged.id(), merged);
      saved[0] = merged;
      return all;
    });
    return saved[0];
  }

  void remove(Digest id) throws IOException {
    records.update(all -> {
      all.remove(id);
      return all;
    });
  }

  /** Re-derives every record's pin from the current sandbox image (the config may have changed). */
  void refreshPins() throws IOException {
    boolean stale = records.all().stream().anyMatch(r -> r.pinned() != isSandbox(r));
    if (stale) {
      records.update(all -> {
        all.replaceAll((id, r) -> withPin(r));
        return all;
      });
    }
  }

  private ImageRecord withPin(ImageRecord r) {
    return r.pinned() == isSandbox(r) ? r : r.withPinned(isSandbox(r));
  }

  private boolean isSandbox(ImageRecord r) {
    if (sandboxImage == null) {
      return false;
    }
    String name = sandboxImage.toString();
    return r.repoTags().contains(name) || r.repoDigests().contains(name);
  }
}
