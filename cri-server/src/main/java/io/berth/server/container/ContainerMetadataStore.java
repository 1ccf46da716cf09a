package io.berth.server.container;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.os.AtomicFile;
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
 * One JSON file per container under {@code <root>/cri-containers/}, written atomically before the
 * container is created and deleted after it is removed, so that no container the engine holds
 * lacks its CRI metadata after a crash (the reverse is reconciled at start-up).
 */
final class ContainerMetadataStore {
  private static final StructuredLogger LOG = StructuredLogger.get(ContainerMetadataStore.class);

  private final Path dir;
  private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
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
          ContainerMetadata m = json.readValue(f.toFile(), ContainerMetadata.class);
          byId.put(m.id(), m);
        } catch (IOException | RuntimeException e) {
          LOG.warn("cannot load container metadata; left in place", e, "file", f);
        }
      }
    }
  }

  void put(ContainerMetadata m) throws IOException {
    AtomicFile.write(dir.resolve(m.id() + ".json"), json.writeValueAsBytes(m));
    byId.put(m.id(), m);
  }

  void delete(String id) throws IOException {
    AtomicFile.delete(dir.resolve(id + ".json"));
    byId.remove(id);
  }

  Optional<ContainerMetadata> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  List<ContainerMetadata> all() {
    return new ArrayList<>(byId.values());
  }
}
