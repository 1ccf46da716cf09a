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
 * The JSON mapper for sandbox records and CNI cache entries. The CRI request is kept in its
 * canonical proto JSON form (readable, and stable across proto changes).
 */
public final class SandboxJson {
  private SandboxJson() {}

  public static ObjectMapper mapper() {
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
