package io.berth.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TomlTreeReaderTest {
  private static final String SAMPLE = String.join("\n",
      "socket = \"/run/x.sock\"",
      "small = 7",
      "big = 9000000000",
      "ratio = 0.5",
      "on = true",
      "off = false",
      "list = [\"a\", \"b\"]",
      "nested = [[1, 2], [3]]",
      "inline = { k = \"v\", n = 1 }",
      "[runtime.handlers.crun]",
      "path = \"crun\"",
      "[[mirrors]]",
      "url = \"http://a\"",
      "[[mirrors]]",
      "url = \"http://b\"",
      "");

  private static InputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void buildsTheSameTreeAsTheTomlMapper() throws Exception {
    assertEquals(new TomlMapper().readTree(in(SAMPLE)), new TomlTreeReader().read(in(SAMPLE)));
  }

  @Test
  void readsTheEmbeddedDefaultsAsTheTomlMapperDoes() throws Exception {
    String path = "/io/berth/server/berth-defaults.toml";
    try (InputStream a = getClass().getResourceAsStream(path); InputStream b = getClass().getResourceAsStream(path)) {
      assertEquals(new TomlMapper().readTree(a), new TomlTreeReader().read(b));
    }
  }

  @Test
  void anEmptyDocumentIsAnEmptyTable() throws Exception {
    assertTrue(new TomlTreeReader().read(in("")).isEmpty());
    assertTrue(new TomlTreeReader().read(in("# only a comment\n")).isEmpty());
  }

  @Test
  void syntaxErrorsCarryTheirLine() {
    JsonProcessingException e = assertThrows(JsonProcessingException.class,
        () -> new TomlTreeReader().read(in("a = 1\nb = = 2\n")));
    assertEquals(2, e.getLocation().getLineNr(), e.getMessage());
  }
}
