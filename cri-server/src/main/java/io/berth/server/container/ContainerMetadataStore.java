package io.berth.server.container;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.berth.cri.v1.ContainerConfig;
import io.berth.os.ReplacedFile;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One JSON file per container under {@code <root>/cri-containers/}, written before the container
 * is created and deleted after it is removed, so that no container the engine holds lacks its CRI
 * metadata after berthd is killed (the reverse is reconciled at start-up).
 *
 * <p>Written by rename without fsync ({@link ReplacedFile}): the engine's record, written next
 * and fsynced, is what makes CreateContainer durable. Only a power loss can lose a metadata file
 * whose record survived, and a power loss kills every container; the start-up reconcile then
 * removes that dead container, as CRI-O removes all containers after a reboot. This saved a
 * second journal commit per CreateContainer (docs/benchmarks.md).
 */
final class ContainerMetadataStore {
  private static final StructuredLogger LOG = StructuredLogger.get(ContainerMetadataStore.class);
  /**
   * 2: the ContainerConfig as protobuf bytes (base64); 1: as proto JSON, still read. Builds before
   * version 2 cannot read its files: downgrading berthd over live containers is not supported.
   */
  static final int VERSION = 2;

  /**
   * The file's shape. {@code config} holds the protobuf encoding, which keeps every field kubelet
   * sent (unknown ones too) and costs a fraction of proto JSON to write and read.
   */
  record Stored(int version, String id, String sandboxId, byte[] config, String configJson, String imageId,
      String imageRef, List<String> chainIds, String logPath, long createdAt) {
    static Stored of(ContainerMetadata m) {
      return new Stored(VERSION, m.id(), m.sandboxId(), m.config().toByteArray(), null, m.imageId(), m.imageRef(),
          m.chainIds(), m.logPath(), m.createdAt());
    }

    ContainerMetadata toMetadata() throws IOException {
      ContainerConfig c;
      if (config != null) {
        c = ContainerConfig.parseFrom(config);
      } else if (configJson != null) {
        ContainerConfig.Builder b = ContainerConfig.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(configJson, b);
        c = b.build();
      } else {
        throw new IOException("no config in the metadata of container " + id);
      }
      return new ContainerMetadata(id, sandboxId, c, imageId, imageRef, chainIds == null ? List.of() : chainIds,
          logPath, createdAt);
    }
  }

  private final Path dir;
  private final Map<String, ContainerMetadata> byId = new ConcurrentHashMap<>();

  ContainerMetadataStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String n = f.getFileName().toString();
        if (n.startsWith(".") || !n.endsWith(".json")) {
          continue;
        }
        try {
          ContainerMetadata m = Mapper.INSTANCE.readValue(f.toFile(), Stored.class).toMetadata();
          byId.put(m.id(), m);
        } catch (IOException | RuntimeException e) {
          LOG.warn("cannot load container metadata; left in place", e, "file", f);
        }
      }
    }
  }

  void put(ContainerMetadata m) throws IOException {
    ReplacedFile.write(dir.resolve(m.id() + ".json"), Mapper.INSTANCE.writeValueAsBytes(Stored.of(m)));
    byId.put(m.id(), m);
  }

  /** After the engine deleted the container's record (durably): a lost unlink is reconciled at start-up. */
  void delete(String id) throws IOException {
    Files.deleteIfExists(dir.resolve(id + ".json"));
    byId.remove(id);
  }

  Optional<ContainerMetadata> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  List<ContainerMetadata> all() {
    return new ArrayList<>(byId.values());
  }

  /**
   * Built on first use, when the first file is read or written: a node without containers never
   * needs it, and building a mapper loads databind's machinery (see {@link io.berth.server.Json}).
   */
  private static final class Mapper {
    static final ObjectMapper INSTANCE = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
