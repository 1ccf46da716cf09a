package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config and command line BerthdProcess prepares, without starting anything. */
class BerthdProcessTest {
  @Test
  void configIsValidTomlWithDirsMirrorsAndExtras() throws Exception {
    BerthdProcess b = BerthdProcess.builder()
        .registryMirror("http://127.0.0.1:45678")
        .extraTopLevelToml("cgroup_driver = \"cgroupfs\"")
        .extraToml("[cni]\nconf_dir = \"/tmp/cni \\\"quoted\\\"\"")
        .create();
    try {
      String text = Files.readString(b.configFile());
      JsonNode toml = new TomlMapper().readTree(text);
      assertEquals(b.socket().toString(), toml.path("socket").asText());
      assertEquals(b.workDir().resolve("run/berth.sock"), b.socket());
      assertEquals(b.workDir().resolve("root").toString(), toml.path("root_dir").asText());
      assertEquals(b.workDir().resolve("run").toString(), toml.path("state_dir").asText());
      assertEquals("debug", toml.path("log_level").asText());
      assertEquals("registry.k8s.io/pause:3.10", toml.path("sandbox_image").asText());
      assertEquals("cgroupfs", toml.path("cgroup_driver").asText());
      for (String host : List.of("registry.k8s.io", "docker.io", "gcr.io")) {
        assertEquals("[\"http://127.0.0.1:45678\"]", toml.path("registry").path("hosts").path(host).path("mirrors").toString());
      }
      assertEquals("/tmp/cni \"quoted\"", toml.path("cni").path("conf_dir").asText());
      assertEquals("unix://" + b.socket(), b.endpoint());
      assertFalse(b.isRunning());
    } finally {
      b.close();
    }
    assertFalse(Files.exists(b.workDir()));
  }

  @Test
  void childJvmRunsBerthdMainFromThisClassPathWithSerialGc() {
    BerthdProcess b = BerthdProcess.builder().create();
    try {
      List<String> argv = b.command();
      assertTrue(argv.get(0).endsWith("/bin/java"));
      assertEquals("-XX:+UseSerialGC", argv.get(1));
      assertEquals("-cp", argv.get(2));
      assertEquals(System.getProperty("java.class.path"), argv.get(3));
      assertEquals(List.of("io.berth.server.BerthdMain", "--config", b.configFile().toString()), argv.subList(4, 7));
    } finally {
      b.close();
    }
  }

  @Test
  void tomlStringsAreEscaped() {
    assertEquals("\"a\\\\b\\\"c\\n\"", BerthdProcess.tomlString("a\\b\"c\n"));
  }
}
