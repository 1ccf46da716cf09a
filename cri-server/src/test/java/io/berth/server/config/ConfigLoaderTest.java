package io.berth.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void embeddedDefaultsNeedNoFile() throws Exception {
    BerthConfig c = loader.load(null, ConfigOverrides.none());
    assertEquals("/run/berth/berth.sock", c.socket());
    assertEquals("/var/lib/berth", c.rootDir());
    assertEquals("/run/berth", c.stateDir());
    assertEquals("crun", c.runtime().defaultHandler());
    assertEquals("runc", c.runtime().handlers().get("runc").path());
    assertEquals(List.of("/opt/cni/bin", "/usr/lib/cni"), c.cni().binDirs());
    assertEquals("/etc/cni/net.d", c.cni().confDir());
    assertEquals("", c.metrics().address());
    assertTrue(c.registry().hosts().isEmpty());
  }

  @Test
  void fileMergesKeyByKeyAndFlagsWin() throws Exception {
    Path f = write("socket = \"/tmp/file.sock\"\nlog_level = \"debug\"\n"
        + "[runtime.handlers.kata]\npath = \"/usr/bin/kata-runtime\"\n"
        + "[registry.hosts.\"registry.k8s.io\"]\nmirrors = [\"http://127.0.0.1:5000\"]\n");
    BerthConfig c = loader.load(f, new ConfigOverrides("/tmp/flag.sock", null, "/tmp/state", null));
    assertEquals("/tmp/flag.sock", c.socket());
    assertEquals("/tmp/state", c.stateDir());
    assertEquals("debug", c.logLevel());
    assertEquals(3, c.runtime().handlers().size(), "default handlers kept beside the new one");
    assertEquals(List.of("http://127.0.0.1:5000"), c.registry().hosts().get("registry.k8s.io").mirrors());
  }

  @Test
  void aParentTableMayFollowItsSubtables() throws Exception {
    BerthConfig c = loader.load(write("[registry.hosts.\"r.io\"]\nmirrors = []\n[registry]\nmax_layer_size = \"1Gi\"\n"),
        ConfigOverrides.none());
    assertEquals("1Gi", c.registry().maxLayerSize());
    assertEquals(List.of(), c.registry().hosts().get("r.io").mirrors());
    assertError("registry.max_layer_size = \"huge\"", "[registry]\nmax_layer_size = \"huge\"\n");
  }

  @Test
  void printedConfigLoadsBackToTheSameConfig() throws Exception {
    BerthConfig c = loader.load(write("[metrics]\naddress = \"127.0.0.1:9099\"\n"
        + "[registry.hosts.\"r.io\"]\nmirrors = [\"https://m.io\"]\nplain_http = true\nusername = \"u\"\npassword = \"p\"\n"),
        ConfigOverrides.none());
    Path again = write(loader.toToml(c));
    assertEquals(c, loader.load(again, ConfigOverrides.none()));
  }

  @Test
  void theStatusViewOfTheConfigUsesTomlKeysAndHidesSecrets() throws Exception {
    BerthConfig c = loader.load(write("[registry.hosts.\"r.io\"]\nusername = \"u\"\npassword = \"hunter2\"\n"),
        ConfigOverrides.none());
    String json = ConfigLoader.toTree(c, true).toString();
    assertTrue(json.contains("\"default_handler\":\"crun\""), json);
    assertTrue(json.contains("\"username\":\"u\""), json);
    assertFalse(json.contains("hunter2"), json);
  }

  @Test
  void valuesOfTheWrongTypeNameTheirKey() {
    assertError("bad value for 'cni.bin_dirs[1]'", "[cni]\nbin_dirs = [\"/a\", 2]\n");
    assertError("bad value for 'runtime.handlers'", "[runtime]\nhandlers = 3\n");
    assertError("bad value for 'registry.hosts.\"r.io\".plain_http'", "[registry.hosts.\"r.io\"]\nplain_http = \"yes\"\n");
    assertError("bad value for 'socket'", "socket = 5\n");
  }

  @Test
  void unknownKeyIsNamed() {
    assertError("unknown key 'socke'", "socke = \"/x\"\n");
    assertError("unknown key 'registry.hosts.\"r.io\".mirorrs'", "[registry.hosts.\"r.io\"]\nmirorrs = []\n");
    assertError("unknown key 'cni.bindirs'", "[cni]\nbindirs = []\n");
  }

  @Test
  void badValuesAreNamed() {
    assertError("'registry.max_concurrent_downloads'", "[registry]\nmax_concurrent_downloads = \"x\"\n");
    assertError("registry.max_concurrent_downloads = 0", "[registry]\nmax_concurrent_downloads = 0\n");
    assertError("log_level = \"loud\"", "log_level = \"loud\"\n");
    assertError("root_dir = \"var/lib\" must be an absolute path", "root_dir = \"var/lib\"\n");
    assertError("runtime.default_handler = \"kata\"", "[runtime]\ndefault_handler = \"kata\"\n");
    assertError("registry.stall_timeout = \"soon\"", "[registry]\nstall_timeout = \"soon\"\n");
    assertError("pod.shm_size = \"lots\"", "[pod]\nshm_size = \"lots\"\n");
    assertError("metrics.address = \"9090\"", "[metrics]\naddress = \"9090\"\n");
    assertError("mirrors[0] = \"ftp://x\"", "[registry.hosts.\"r.io\"]\nmirrors = [\"ftp://x\"]\n");
    assertError("ca_file", "[registry.hosts.\"r.io\"]\nca_file = \"/nonexistent/ca.pem\"\n");
    assertError("TOML syntax error at line 1", "log_level = \n");
  }

  @Test
  void badFlagValueIsNamedToo() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.load(null, new ConfigOverrides(null, null, null, "verbose")));
    assertTrue(e.getMessage().contains("log_level = \"verbose\""), e.getMessage());
  }

  @Test
  void missingFileIsReported() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.load(dir.resolve("nope.toml"), ConfigOverrides.none()));
    assertTrue(e.getMessage().contains("nope.toml"), e.getMessage());
  }

  @Test
  void quantities() throws Exception {
    assertEquals(90, Quantities.duration("k", "90s").toSeconds());
    assertEquals(60, Quantities.duration("k", "1m").toSeconds());
    assertEquals(500, Quantities.duration("k", "500ms").toMillis());
    assertEquals(64L << 20, Quantities.bytes("k", "64Mi"));
    assertEquals(1_000_000_000L, Quantities.bytes("k", "1G"));
    assertEquals(4096, Quantities.bytes("k", "4096"));
  }

  private void assertError(String expected, String toml) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write(toml), ConfigOverrides.none()));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
  }

  private Path write(String toml) throws Exception {
    Path f = Files.createTempFile(dir, "berth", ".toml");
    Files.writeString(f, toml);
    return f;
  }
}
