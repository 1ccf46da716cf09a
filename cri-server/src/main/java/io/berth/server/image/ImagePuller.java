package io.berth.server.image;

import io.berth.server.image.content.ContentStore;
import io.berth.server.image.manifest.Descriptor;
import io.berth.server.image.manifest.ImageConfigDocument;
import io.berth.server.image.manifest.ManifestDocument;
import io.berth.server.image.manifest.ManifestException;
import io.berth.server.image.manifest.ManifestException.Reason;
import io.berth.server.image.manifest.MediaTypes;
import io.berth.server.image.manifest.PlatformMatcher;
import io.berth.server.image.reference.Digest;
import io.berth.server.image.reference.ImageReference;
import io.berth.server.image.registry.FetchedManifest;
import io.berth.server.image.registry.RegistryClient;
import io.berth.server.image.registry.RegistryException;
import io.berth.server.image.registry.RegistryHosts;
import io.berth.server.image.registry.RegistryTransport;
import io.berth.server.image.store.ImageRecord;
import io.berth.server.image.store.ImageStore;
import io.berth.server.image.store.LayerRecord;
import io.berth.server.image.store.Leases;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One pull, start to finish: resolve the reference on the first endpoint that answers, pick the
 * platform manifest of an index, fetch and verify the config, provide every layer's snapshot
 * (downloading in parallel, unpacking as bytes arrive), store the manifests and save the record.
 * A lease keeps the collector away from what the pull fetched until the record references it.
 */
final class ImagePuller {
  private static final StructuredLogger LOG = StructuredLogger.get(ImagePuller.class);
  private static final int MAX_CONFIG = 32 << 20;

  private final ImageStore store;
  private final RegistryTransport transport;
  private final RegistryHosts hosts;
  private final LayerFetcher layers;
  private final PlatformMatcher platforms;
  private final int maxConcurrentDownloads;
  private final SingleFlight<Digest, byte[]> configFlights = new SingleFlight<>();

  ImagePuller(ImageStore store, RegistryTransport transport, RegistryHosts hosts, LayerFetcher layers,
      PlatformMatcher platforms, int maxConcurrentDownloads) {
    this.store = store;
    this.transport = transport;
    this.hosts = hosts;
    this.layers = layers;
    this.platforms = platforms;
    this.maxConcurrentDownloads = maxConcurrentDownloads;
  }

  /** What a pull produced: the saved record and the bytes downloaded. */
  record Pulled(ImageRecord record, long downloadedBytes) {}

  /** Saves a pulled image's record; runs while the pull's lease still protects its content. */
  @FunctionalInterface
  interface RecordSaver {
    ImageRecord save(ImageRecord pulled) throws IOException;
  }

  Pulled pull(ImageReference ref, RegistryClient.RequestCredentials credentials, RecordSaver saver)
      throws Exception {
    AtomicLong downloaded = new AtomicLong();
    try (Leases.Lease lease = store.leases().acquire()) {
      RegistryClient registry = new RegistryClient(transport, ref, hosts.endpoints(ref.registry()), credentials);
      FetchedManifest top = registry.resolve();
      ManifestDocument doc = ManifestDocument.parse(top.contentType(), top.body());
      List<FetchedManifest> manifests = new ArrayList<>(List.of(top));
      FetchedManifest platformManifest = top;
      if (doc instanceof ManifestDocument.Index index) {
        Descriptor chosen = platforms.select(index.manifests()).orElseThrow(() -> new ManifestException(
            Reason.NO_MATCHING_PLATFORM, "no manifest for " + platforms.host() + " in the index; it has "
            + index.manifests().stream().map(d -> String.valueOf(d.platform())).collect(Collectors.joining(", "))));
        platformManifest = registry.manifest(chosen.digest());
        if (platformManifest.body().length != chosen.size()) {
          throw new RegistryException(RegistryException.Kind.PROTOCOL, "manifest " + chosen.digest() + " is "
              + platformManifest.body().length + " bytes, the index says " + chosen.size());
        }
        doc = ManifestDocument.parse(platformManifest.contentType(), platformManifest.body());
        manifests.add(platformManifest);
        if (!(doc instanceof ManifestDocument.Manifest)) {
          throw new ManifestException(Reason.UNSUPPORTED_MEDIA_TYPE, "the " + platforms.host()
              + " entry of the index is another index; nested indexes are not supported");
        }
      }
      ManifestDocument.Manifest manifest = (ManifestDocument.Manifest) doc;
      checkMediaTypes(manifest);

      Set<Digest> blobs = new LinkedHashSet<>();
      manifests.forEach(m -> blobs.add(m.digest()));
      blobs.add(manifest.config().digest());
      manifest.layers().forEach(l -> blobs.add(l.digest()));
      lease.addBlobs(blobs);

      byte[] configBytes = config(registry, manifest.config(), downloaded);
      ImageConfigDocument config = ImageConfigDocument.parse(configBytes);
      if (config.diffIds().size() != manifest.layers().size()) {
        throw new ManifestException(Reason.MALFORMED, "the manifest has " + manifest.layers().size()
            + " layers but the image config lists " + config.diffIds().size() + " diff ids");
      }
      List<Digest> chainIds = config.chainIds();
      lease.addSnapshots(chainIds);
      List<LayerFetcher.Job> jobs = new ArrayList<>();
      List<LayerRecord> layerRecords = new ArrayList<>();
      long size = manifests.stream().mapToLong(m -> m.body().length).sum() + manifest.config().size();
      for (int i = 0; i < manifest.layers().size(); i++) {
        Descriptor l = manifest.layers().get(i);
        jobs.add(new LayerFetcher.Job(l, config.diffIds().get(i), chainIds.get(i)));
        layerRecords.add(new LayerRecord(l.digest(), l.size(), l.mediaType(), config.diffIds().get(i), chainIds.get(i)));
        size += l.size();
      }
      layers.fetchAll(registry, jobs, maxConcurrentDownloads, downloaded);

      ContentStore content = store.content();
      for (FetchedManifest m : manifests) {
        content.put(new Descriptor("", m.digest(), m.body().length), m.body());
      }
      List<String> tags = ref.repoTag().map(List::of).orElse(List.of());
      List<String> digests = List.of(ref.repoDigest(top.digest()));
      ImageRecord record = new ImageRecord(manifest.config().digest(), tags, digests, top.digest(),
          platformManifest.digest(), layerRecords, List.copyOf(blobs), size,
          config.config().uid().isPresent() ? config.config().uid().getAsLong() : null,
          config.config().userName().orElse(""), false, Instant.now());
      LOG.debug("pull resolved", "image", ref, "id", record.id(), "endpoint", top.endpoint(), "layers", jobs.size());
      return new Pulled(saver.save(record), downloaded.get());
    }
  }

  /** The config blob: from the store, or fetched once (shared by concurrent pulls) and stored. */
  private byte[] config(RegistryClient registry, Descriptor d, AtomicLong downloaded) throws Exception {
    if (d.size() > MAX_CONFIG) {
      throw new ManifestException(Reason.MALFORMED, "image config of " + d.size() + " bytes is larger than "
          + MAX_CONFIG);
    }
    ContentStore content = store.content();
    if (content.contains(d.digest())) {
      return content.read(d.digest());
    }
    return configFlights.run(d.digest(), () -> {
      if (content.contains(d.digest())) {
        return content.read(d.digest());
      }
      byte[] body;
      try (InputStream in = registry.blob(d)) {
        body = in.readNBytes((int) d.size() + 1);
      }
      downloaded.addAndGet(body.length);
      content.put(d, body); // verifies digest and size
      return body;
    });
  }

  private static void checkMediaTypes(ManifestDocument.Manifest m) throws ManifestException {
    String ct = m.config().mediaType();
    if (!ct.isEmpty() && !MediaTypes.CONFIGS.contains(ct)) {
      throw new ManifestException(Reason.UNSUPPORTED_MEDIA_TYPE, "not a container image: config media type '"
          + ct + "'");
    }
    for (Descriptor l : m.layers()) {
      if (l.mediaType().equals(MediaTypes.DOCKER_FOREIGN_LAYER)) {
        throw new ManifestException(Reason.UNSUPPORTED_MEDIA_TYPE, "layer " + l.digest()
            + " is a foreign (Windows) layer");
      }
      if (!l.mediaType().isEmpty() && !MediaTypes.LAYERS.contains(l.mediaType())) {
        throw new ManifestException(Reason.UNSUPPORTED_MEDIA_TYPE, "layer " + l.digest() + " has unsupported media type '"
            + l.mediaType() + "'");
      }
    }
  }
}
