package io.berth.os;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Builds Jackson trees straight from a streaming parser (JSON, or TOML through the TOML module's
 * parser), without an ObjectMapper. A mapper initialises databind's serializer and deserializer
 * factories (some 300 classes, and StdDateFormat's ~1000 CLDR locales); paths that only ever need
 * a tree, and run while berthd is otherwise idle (reading its config at start-up, checking the CNI
 * config on every Status call), stay clear of that cost.
 */
public final class JsonTrees {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory JSON = new JsonFactory();

  private JsonTrees() {}

  /** A JSON document's first value as a tree; null for a document with no value. */
  public static JsonNode readJson(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      return read(p);
    }
  }

  /** The parser's next value as a tree; null at the end of the input. */
  public static JsonNode read(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    return first == null ? null : value(p, first);
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
        // JSON floats are doubles, as ObjectMapper.readTree makes them by default.
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
