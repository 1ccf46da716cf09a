package io.berth.sandbox.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void missingOrEmptyDirectoryIsNotReadyAndNamesTheDirectory() throws Exception {
    CniConfigLoader.Loaded missing = new CniConfigLoader(dir.resolve("nope")).load();
    assertFalse(missing.found());
    assertTrue(missing.problem().contains(dir.resolve("nope").toString()), missing.problem());
    CniConfigLoader.Loaded empty = new CniConfigLoader(dir).load();
    assertFalse(empty.found());
    assertTrue(empty.problem().contains("no network config found in " + dir), empty.problem());
  }

  @Test
  void picksTheLexicallyFirstConfigFile() throws Exception {
    Files.writeString(dir.resolve("20-second.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"second\",\"plugins\":[{\"type\":\"bridge\"}]}");
    Files.writeString(dir.resolve("10-first.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"first\",\"disableCheck\":true,"
            + "\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"b0\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
    Files.writeString(dir.resolve("00-ignored.txt"), "not a config");
    NetworkConfigList list = new CniConfigLoader(dir).load().network();
    assertEquals("first", list.name());
    assertEquals("1.0.0", list.cniVersion());
    assertTrue(list.disableCheck());
    assertEquals(2, list.plugins().size());
    assertEquals("b0", list.plugins().get(0).get("bridge").asText());
    assertEquals(java.util.List.of("bridge", "portmap"), CniExecutor.requiredTypes(list));
  }

  @Test
  void singlePluginConfIsAListOfOne() throws Exception {
    Files.writeString(dir.resolve("10-single.conf"),
        "{\"cniVersion\":\"0.4.0\",\"name\":\"single\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\"}}");
    NetworkConfigList list = new CniConfigLoader(dir).load().network();
    assertEquals("single", list.name());
    assertEquals("0.4.0", list.cniVersion());
    assertEquals(1, list.plugins().size());
    assertEquals("bridge", list.plugins().get(0).get("type").asText());
    assertEquals("single", list.raw().get("name").asText());
    assertEquals(1, list.raw().get("plugins").size(), "raw is normalised to a list for the cache");
    assertEquals(java.util.List.of("bridge", "host-local"), CniExecutor.requiredTypes(list));
  }

  @Test
  void skipsInvalidFilesAndReportsTheFirstErrorWhenNoneIsValid() throws Exception {
    Files.writeString(dir.resolve("00-broken.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":");
    Files.writeString(dir.resolve("05-noplugins.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[]}");
    CniConfigLoader loader = new CniConfigLoader(dir);
    CniConfigLoader.Loaded none = loader.load();
    assertFalse(none.found());
    assertTrue(none.problem().contains("00-broken.conflist"), none.problem());

    Files.writeString(dir.resolve("10-good.json"), "{\"cniVersion\":\"1.0.0\",\"name\":\"good\",\"type\":\"ptp\"}");
    assertEquals("good", loader.load().network().name());
  }

  @Test
  void requiresNameAndVersion() throws Exception {
    Files.writeString(dir.resolve("10-noversion.conflist"), "{\"name\":\"x\",\"plugins\":[{\"type\":\"bridge\"}]}");
    CniConfigLoader.Loaded loaded = new CniConfigLoader(dir).load();
    assertFalse(loaded.found());
    assertTrue(loaded.problem().contains("cniVersion"), loaded.problem());
  }
}
