package io.berth.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import io.berth.os.JsonTrees;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a TOML document into Jackson's tree model with the TOML module's parser alone. An
 * ObjectMapper (what {@code TomlMapper.readTree} needs) initialises databind's serializer and
 * deserializer factories, about 300 classes and 50–60 ms before berthd can open its socket,
 * for a document that only ever becomes a tree ({@link BerthConfigBinding} binds it by hand).
 * {@link JsonTrees} builds the tree.
 */
final class TomlTreeReader {
  private final TomlFactory toml = new TomlFactory();

  /**
   * The document's root table; an empty one for an empty document. Syntax errors are the TOML
   * module's {@link com.fasterxml.jackson.core.JsonProcessingException}s, with their location.
   */
  ObjectNode read(InputStream in) throws IOException {
    try (JsonParser p = toml.createParser(in)) {
      JsonNode root = JsonTrees.read(p);
      return root instanceof ObjectNode ? (ObjectNode) root : JsonNodeFactory.instance.objectNode();
    }
  }
}
