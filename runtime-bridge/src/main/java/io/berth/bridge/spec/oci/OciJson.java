package io.berth.bridge.spec.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON for config.json, process.json and resources.json. */
public final class OciJson {
  private OciJson() {}

  /**
   * Configured once and never changed afterwards, so sharing it is thread safe. Built on first
   * use: berthd restoring an empty node reads no config.json or record, and building a mapper loads
   * databind's type and serializer machinery (some 300 classes, and StdDateFormat's CLDR locales).
   */
  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public static byte[] toBytes(Object value) {
    try {
      return mapper().writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T fromBytes(byte[] json, Class<T> type) throws IOException {
    return mapper().readValue(json, type);
  }
}
