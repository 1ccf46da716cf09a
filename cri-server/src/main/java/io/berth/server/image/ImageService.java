package io.berth.server.image;

import io.berth.cri.v1.AuthConfig;
import io.berth.cri.v1.FilesystemIdentifier;
import io.berth.cri.v1.FilesystemUsage;
import io.berth.cri.v1.Image;
import io.berth.cri.v1.ImageFsInfoRequest;
import io.berth.cri.v1.ImageFsInfoResponse;
import io.berth.cri.v1.ImageServiceGrpc;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.ImageStatusRequest;
import io.berth.cri.v1.ImageStatusResponse;
import io.berth.cri.v1.Int64Value;
import io.berth.cri.v1.ListImagesRequest;
import io.berth.cri.v1.ListImagesResponse;
import io.berth.cri.v1.PullImageRequest;
import io.berth.cri.v1.PullImageResponse;
import io.berth.cri.v1.RemoveImageRequest;
import io.berth.cri.v1.RemoveImageResponse;
import io.berth.cri.v1.UInt64Value;
import io.berth.os.DaemonThreads;
import io.berth.os.Linux;
import io.berth.os.PosixFiles;
import io.berth.server.Json;
import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigException;
import io.berth.server.config.Quantities;
import io.berth.server.grpc.CriServiceBuilder;
import io.berth.server.image.manifest.ImageConfigDocument;
import io.berth.server.image.manifest.Platform;
import io.berth.server.image.manifest.PlatformMatcher;
import io.berth.server.image.reference.ImageReference;
import io.berth.server.image.reference.InvalidReferenceException;
import io.berth.server.image.registry.Credentials;
import io.berth.server.image.registry.RegistryClient.RequestCredentials;
import io.berth.server.image.registry.RegistryHosts;
import io.berth.server.image.registry.RegistryTransport;
import io.berth.server.image.store.ImageRecord;
import io.berth.server.image.store.ImageStore;
import io.berth.server.image.store.SnapshotUsage;
import io.berth.server.image.unpack.LayerUnpacker;
import io.berth.server.image.unpack.UnpackLimits;
import io.berth.server.log.StructuredLogger;
import io.grpc.Status;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * CRI ImageService: PullImage, ImageStatus, ListImages, RemoveImage, ImageFsInfo. Built once by
 * {@link #open}; {@link #images()} is the API the container side uses to find an image's layers and
 * config, and {@link #useSnapshotUsage} is how it tells garbage collection which snapshots its
 * containers hold.
 */
public final class ImageService {
  private static final StructuredLogger LOG = StructuredLogger.get(ImageService.class);

  private final ImageStore store;
  private final ImageCatalog catalog;
  private final Supplier<ImagePuller> newPuller;
  private ImagePuller puller; // guarded by this; built at the first pull
  private final Images images;
  private final PullMetrics metrics;
  private volatile SnapshotUsage snapshotUsage = SnapshotUsage.NONE;

  private static long maxLayerBytes(BerthConfig config) {
    try {
      return Quantities.bytes("registry.max_layer_size", config.registry().maxLayerSize());
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e); // validated when the config was loaded
    }
  }

  ImageService(ImageStore store, ImageCatalog catalog, Supplier<ImagePuller> newPuller, PullMetrics metrics) {
    this.store = store;
    this.catalog = catalog;
    this.newPuller = newPuller;
    this.images = new Images(catalog, store);
    this.metrics = metrics;
  }

  /**
   * Opens the image store under {@code config.rootDir()} (sweeping what a killed berthd left) and
   * wires the registry client from {@code config.registry()}; pull metrics go to {@code registry}.
   */
  public static ImageService open(BerthConfig config, CollectorRegistry registry) throws IOException {
    Duration stall;
    try {
      stall = Quantities.duration("registry.stall_timeout", config.registry().stallTimeout());
    } catch (ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
    PosixFiles files = PosixFiles.load();
    ImageStore store = ImageStore.open(Path.of(config.rootDir()), files);
    ImageReference sandbox = null;
    try {
      sandbox = ImageReference.parse(config.sandboxImage());
    } catch (InvalidReferenceException e) {
      LOG.warn("sandbox_image is not a valid reference; nothing is pinned", "sandbox_image", config.sandboxImage());
    }
    ImageCatalog catalog = new ImageCatalog(store.records(), sandbox);
    catalog.refreshPins();
    // The registry client (HTTP transport, token cache, unpacker, download pool) is built at the
    // first pull: a restarted berthd whose node pulls nothing never loads it, and each class it
    // loads stays in the daemon's memory.
    UnpackLimits limits = new UnpackLimits(maxLayerBytes(config), UnpackLimits.DEFAULT.diskReserveBytes());
    Supplier<ImagePuller> newPuller = () -> {
      ExecutorService workers = Executors.newCachedThreadPool(DaemonThreads.named("image-pull"));
      RegistryTransport transport = new RegistryTransport(stall, workers);
      LayerUnpacker unpacker = new LayerUnpacker(Linux.load(), files, limits);
      LayerFetcher fetcher = new LayerFetcher(store.content(), store.snapshots(), unpacker, workers);
      return new ImagePuller(store, transport, new RegistryHosts(config.registry().hosts()), fetcher,
          new PlatformMatcher(Platform.host()), config.registry().maxConcurrentDownloads());
    };
    LOG.info("image store open", "root", config.rootDir(), "images", store.records().all().size(),
        "platform", Platform.host());
    if (!"UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
      // Java cannot create a file whose name its file name encoding cannot represent.
      LOG.warn("file names are not UTF-8: layers with non-ASCII names will fail to unpack; "
          + "run berthd with LC_ALL=C.UTF-8", "sun.jnu.encoding", System.getProperty("sun.jnu.encoding"));
    }
    return new ImageService(store, catalog, newPuller, new PullMetrics(registry));
  }

  private synchronized ImagePuller puller() {
    if (puller == null) {
      puller = newPuller.get();
    }
    return puller;
  }

  public void register(CriServiceBuilder service) {
    service.unary("PullImage", ImageServiceGrpc::getPullImageMethod, this::pullImage)
        .unary("ImageStatus", ImageServiceGrpc::getImageStatusMethod, this::imageStatus)
        .unary("ListImages", ImageServiceGrpc::getListImagesMethod, this::listImages)
        .unary("RemoveImage", ImageServiceGrpc::getRemoveImageMethod, this::removeImage)
        .unary("ImageFsInfo", ImageServiceGrpc::getImageFsInfoMethod, this::imageFsInfo);
  }

  /** The container side's view: an image's layer dirs and run config. */
  public Images images() {
    return images;
  }

  /** The container side reports here which snapshots its containers use; GC keeps those. */
  public void useSnapshotUsage(SnapshotUsage usage) {
    this.snapshotUsage = usage;
  }

  PullImageResponse pullImage(PullImageRequest request) {
    String image = request.getImage().getImage();
    long start = System.nanoTime();
    ImageReference ref;
    RequestCredentials credentials;
    try {
      ref = ImageReference.parse(image);
    } catch (InvalidReferenceException e) {
      metrics.record(Status.Code.INVALID_ARGUMENT.name(), 0, System.nanoTime() - start);
      throw ImageErrors.invalidReference(e);
    }
    try {
      credentials = credentials(request.hasAuth() ? request.getAuth() : null);
    } catch (IllegalArgumentException e) {
      metrics.record(Status.Code.INVALID_ARGUMENT.name(), 0, System.nanoTime() - start);
      throw Status.INVALID_ARGUMENT.withDescription("image: auth for " + image + ": " + e.getMessage())
          .asRuntimeException();
    }
    try {
      ImagePuller.Pulled pulled = puller().pull(ref, credentials, catalog::save);
      long nanos = System.nanoTime() - start;
      metrics.record("OK", pulled.downloadedBytes(), nanos);
      LOG.info("image pulled", "image", ref, "id", pulled.record().id(), "bytes", pulled.downloadedBytes(),
          "size", pulled.record().size(), "ms", nanos / 1_000_000);
      return PullImageResponse.newBuilder().setImageRef(pulled.record().id().toString()).build();
    } catch (Exception e) {
      var status = ImageErrors.pullFailed(ref.toString(), e);
      metrics.record(status.getStatus().getCode().name(), 0, System.nanoTime() - start);
      LOG.warn("image pull failed", "image", ref, "code", status.getStatus().getCode().name(),
          "error", status.getStatus().getDescription());
      throw status;
    }
  }

  private static RequestCredentials credentials(AuthConfig auth) {
    if (auth == null) {
      return RequestCredentials.NONE;
    }
    Credentials c = Credentials.of(auth.getUsername(), auth.getPassword(), auth.getAuth(),
        auth.getIdentityToken(), auth.getRegistryToken());
    return new RequestCredentials(c, auth.getServerAddress());
  }

  ImageStatusResponse imageStatus(ImageStatusRequest request) throws IOException {
    Optional<ImageRecord> found = find(request.getImage().getImage());
    if (found.isEmpty()) {
      return ImageStatusResponse.getDefaultInstance();
    }
    ImageStatusResponse.Builder b = ImageStatusResponse.newBuilder().setImage(toCri(found.get()));
    if (request.getVerbose()) {
      ImageRecord r = found.get();
      ImageConfigDocument config = images.configDocument(r);
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("chainID", r.layers().isEmpty() ? "" : r.layers().get(r.layers().size() - 1).chainId().toString());
      info.put("imageSpec", config.asInfoMap());
      info.put("manifest", r.manifest().toString());
      info.put("target", r.target().toString());
      info.put("pulledAt", r.pulledAt() == null ? "" : r.pulledAt().toString());
      b.putInfo("info", Json.mapper().writeValueAsString(info));
    }
    return b.build();
  }

  ListImagesResponse listImages(ListImagesRequest request) {
    ListImagesResponse.Builder b = ListImagesResponse.newBuilder();
    String filter = request.hasFilter() && request.getFilter().hasImage()
        ? request.getFilter().getImage().getImage() : "";
    if (!filter.isEmpty()) {
      find(filter).ifPresent(r -> b.addImages(toCri(r)));
      return b.build();
    }
    for (ImageRecord r : catalog.all()) {
      b.addImages(toCri(r));
    }
    return b.build();
  }

  RemoveImageResponse removeImage(RemoveImageRequest request) throws IOException {
    String image = request.getImage().getImage();
    Optional<ImageRecord> found = find(image);
    if (found.isPresent()) {
      ImageRecord r = found.get();
      catalog.remove(r.id());
      images.forget(r.id());
      ImageStore.Collected c = store.collectGarbage(() -> snapshotUsage.snapshotsInUse());
      LOG.info("image removed", "image", image, "id", r.id(), "tags", r.repoTags(), "blobs_removed", c.blobs(),
          "snapshots_removed", c.snapshots());
    }
    // idempotent: an image that is not there is removed already
    return RemoveImageResponse.getDefaultInstance();
  }

  ImageFsInfoResponse imageFsInfo(ImageFsInfoRequest request) throws IOException {
    long[] usage = store.usage();
    FilesystemUsage fs = FilesystemUsage.newBuilder()
        .setTimestamp(System.currentTimeMillis() * 1_000_000L)
        .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(store.snapshots().root().toString()))
        .setUsedBytes(UInt64Value.newBuilder().setValue(usage[0]))
        .setInodesUsed(UInt64Value.newBuilder().setValue(usage[1]))
        .build();
    return ImageFsInfoResponse.newBuilder().addImageFilesystems(fs).build();
  }

  private Optional<ImageRecord> find(String image) {
    if (image.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("image: image.image is empty").asRuntimeException();
    }
    return images.find(image);
  }

  private static Image toCri(ImageRecord r) {
    Image.Builder b = Image.newBuilder()
        .setId(r.id().toString())
        .addAllRepoTags(r.repoTags())
        .addAllRepoDigests(r.repoDigests())
        .setSize(r.size())
        .setUsername(r.username())
        .setPinned(r.pinned())
        .setSpec(ImageSpec.newBuilder().setImage(r.id().toString()));
    if (r.uid() != null) {
      b.setUid(Int64Value.newBuilder().setValue(r.uid()));
    }
    return b.build();
  }
}
