package io.berth.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a TOML document into Jackson's tree model with the TOML module's parser alone. An
 * ObjectMapper (what {@code TomlMapper.readTree} needs) initialises databind's serializer and
 * deserializer factories, about 300 classes and 50–60 ms before berthd can open its socket,
 * for a document that only ever becomes a tree ({@link BerthConfigBinding} binds it by hand).
 */
final class TomlTreeReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final TomlFactory toml = new TomlFactory();

  /**
   * The document's root table; an empty one for an empty document. Syntax errors are the TOML
   * module's {@link com.fasterxml.jackson.core.JsonProcessingException}s, with their location.
   */
  ObjectNode read(InputStream in) throws IOException {
    try (JsonParser p = toml.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return NODES.objectNode();
      }
      JsonNode root = value(p, first);
      return root instanceof ObjectNode ? (ObjectNode) root : NODES.objectNode();
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          o.set(key, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
          a.add(value(p, x));
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        // The TOML module reads floats exactly (BigDecimal); keep them so, as its mapper does.
        return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
            ? NODES.numberNode(p.getDecimalValue()) : NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_EMBEDDED_OBJECT:
        // TOML dates and times: no berth key takes one, so the binder reports the key as mistyped.
        return NODES.pojoNode(p.getEmbeddedObject());
      default:
        return NODES.nullNode();
    }
  }
}
