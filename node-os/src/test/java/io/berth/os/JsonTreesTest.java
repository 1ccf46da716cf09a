package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTreesTest {
  @Test
  void buildsTheTreeObjectMapperBuilds() throws Exception {
    String json = """
        {"cniVersion": "1.0.0", "name": "n\\u00e9t \\"x\\"", "disableCheck": true, "off": false, "none": null,
         "small": 7, "negative": -3, "long": 12345678901234, "big": 123456789012345678901234567890,
         "float": 1.5, "exp": 2e-3, "empty": {}, "list": [], "dup": 1, "dup": 2,
         "plugins": [{"type": "bridge", "ipam": {"ranges": [[{"subnet": "10.1.0.0/16"}]]}}, 3, "s", [true]]}
        """;
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertEquals(new ObjectMapper().readTree(bytes), JsonTrees.readJson(bytes));
  }

  @Test
  void anEmptyDocumentHasNoTreeAndBadSyntaxIsTheParsersError() {
    assertNull(assertDoesNotThrowRead(" \n"));
    assertThrows(JsonProcessingException.class, () -> JsonTrees.readJson("{\"a\": }".getBytes(StandardCharsets.UTF_8)));
    assertThrows(JsonProcessingException.class, () -> JsonTrees.readJson("{\"a\": 1".getBytes(StandardCharsets.UTF_8)));
  }

  private static Object assertDoesNotThrowRead(String text) {
    try {
      return JsonTrees.readJson(text.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
