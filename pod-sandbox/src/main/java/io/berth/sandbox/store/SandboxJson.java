package io.berth.sandbox.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.google.protobuf.util.JsonFormat;
import io.berth.cri.v1.PodSandboxConfig;
import java.io.IOException;

/**
 * The JSON mapper for sandbox records, CNI configs, plugin I/O and cache entries, shared by all of
 * them (configured once, never changed afterwards, so thread safe). The CRI request is kept in its
 * canonical proto JSON form (readable, and stable across proto changes).
 *
 * <p>Built on first use: berthd starting on a node without sandboxes reads and writes none of
 * these, and building a mapper loads databind's type and serializer machinery (some 300 classes,
 * and StdDateFormat's ~1000 CLDR locales).
 */
public final class SandboxJson {
  private SandboxJson() {}

  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  /** The JVM initialises a holder class on first access, at most once, under its class-init lock. */
  private static final class Holder {
    static final ObjectMapper MAPPER = build();
  }

  private static ObjectMapper build() {
    SimpleModule proto = new SimpleModule("berth-proto");
    proto.addSerializer(PodSandboxConfig.class, new JsonSerializer<>() {
      @Override
      public void serialize(PodSandboxConfig value, JsonGenerator gen, SerializerProvider p) throws IOException {
        gen.writeRawValue(JsonFormat.printer().omittingInsignificantWhitespace().print(value));
      }
    });
    proto.addDeserializer(PodSandboxConfig.class, new JsonDeserializer<>() {
      @Override
      public PodSandboxConfig deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
        String text = parser.readValueAsTree().toString();
        PodSandboxConfig.Builder b = PodSandboxConfig.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(text, b);
        return b.build();
      }
    });
    return new ObjectMapper()
        .registerModule(proto)
        // Records written by a newer berth stay readable by an older one after a rollback.
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }
}
