package io.berth.server.image.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.berth.os.AtomicFile;
import io.berth.server.image.reference.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every image record in one versioned JSON file ({@code images/images.json}), rewritten
 * atomically (temp, fsync, rename) on each change. One file, because moving a tag from one image
 * to another must change both records at once; a node holds hundreds of images at most.
 * Changes are transactions: the new state is written first and only then becomes visible.
 */
public final class ImageRecordStore {
  static final int VERSION = 1;

  private final Path file;
  private Map<Digest, ImageRecord> images = new LinkedHashMap<>();

  public ImageRecordStore(Path dir) throws IOException {
    Files.createDirectories(dir);
    this.file = dir.resolve("images.json");
    load();
  }

  /**
   * The mapper for this file's format, built on first use: a node without images never reads or
   * writes the file, and building a mapper loads databind's machinery (see {@link io.berth.server.Json}).
   */
  private static final class Mapper {
    static final ObjectMapper INSTANCE = build();

    private static ObjectMapper build() {
      SimpleModule digests = new SimpleModule();
      digests.addSerializer(Digest.class, new JsonSerializer<>() {
        @Override
        public void serialize(Digest d, JsonGenerator g, SerializerProvider p) throws IOException {
          g.writeString(d.toString());
        }
      });
      digests.addDeserializer(Digest.class, new JsonDeserializer<>() {
        @Override
        public Digest deserialize(JsonParser p, DeserializationContext c) throws IOException {
          return Digest.parse(p.getValueAsString());
        }
      });
      return new ObjectMapper()
          .registerModule(digests)
          .registerModule(new SimpleModule().addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant i, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeString(i.toString());
            }
          }).addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
              return Instant.parse(p.getValueAsString());
            }
          }))
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);
    }
  }

  private synchronized void load() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    ObjectMapper json = Mapper.INSTANCE;
    JsonNode root = json.readTree(file.toFile());
    int version = root.path("version").asInt(-1);
    if (version != VERSION) {
      throw new IOException(file + ": unsupported image store version " + version + " (this berth reads " + VERSION + ")");
    }
    Map<Digest, ImageRecord> loaded = new LinkedHashMap<>();
    for (JsonNode n : root.path("images")) {
      ImageRecord r = json.treeToValue(n, ImageRecord.class);
      loaded.put(r.id(), r);
    }
    images = loaded;
  }

  public synchronized List<ImageRecord> all() {
    return List.copyOf(images.values());
  }

  public synchronized Optional<ImageRecord> get(Digest id) {
    return Optional.ofNullable(images.get(id));
  }

  /**
   * Applies {@code change} to a copy of all records (null values remove), writes the result, then
   * makes it current. If the write fails nothing changes.
   */
  public synchronized void update(UnaryOperator<Map<Digest, ImageRecord>> change) throws IOException {
    Map<Digest, ImageRecord> next = change.apply(new LinkedHashMap<>(images));
    next.values().removeIf(java.util.Objects::isNull);
    write(next.values());
    images = new LinkedHashMap<>(next);
  }

  private void write(Collection<ImageRecord> records) throws IOException {
    ObjectMapper json = Mapper.INSTANCE;
    ObjectNode root = json.createObjectNode();
    root.put("version", VERSION);
    root.set("images", json.valueToTree(new ArrayList<>(records)));
    AtomicFile.write(file, json.writeValueAsBytes(root));
  }
}
