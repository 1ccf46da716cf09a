package io.berth.server.image.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.server.image.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManifestSelectionTest {
  private static String d(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String entry(char c, String os, String arch, String variant) {
    return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + d(c) + "\",\"size\":100,"
        + "\"platform\":{\"os\":\"" + os + "\",\"architecture\":\"" + arch + "\""
        + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
  }

  private static List<Descriptor> index(String... entries) throws ManifestException {
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
        + String.join(",", entries) + "]}";
    return ((ManifestDocument.Index) ManifestDocument.parse(MediaTypes.OCI_INDEX, utf8(json))).manifests();
  }

  @Test
  void parsesAnOciIndexAndADockerList() throws ManifestException {
    List<Descriptor> m = index(entry('a', "linux", "arm64", "v8"), entry('b', "linux", "amd64", null));
    assertEquals(2, m.size());
    assertEquals(new Platform("linux", "arm64", "v8"), m.get(0).platform());
    String list = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_LIST + "\",\"manifests\":["
        + entry('c', "linux", "amd64", null) + "]}";
    ManifestDocument doc = ManifestDocument.parse("application/json", utf8(list));
    assertInstanceOf(ManifestDocument.Index.class, doc);
    assertEquals(MediaTypes.DOCKER_LIST, doc.mediaType());
  }

  @Test
  void parsesOciAndDockerManifestsEvenWithoutMediaType() throws ManifestException {
    String body = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\""
        + d('c') + "\",\"size\":7},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_ZSTD + "\",\"digest\":\""
        + d('1') + "\",\"size\":1234}]}";
    ManifestDocument.Manifest m = (ManifestDocument.Manifest) ManifestDocument.parse("", utf8(body));
    assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    assertEquals(Digest.parse(d('c')), m.config().digest());
    assertEquals(1234, m.layers().get(0).size());
    String docker = body.replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"mediaType\":\""
        + MediaTypes.DOCKER_MANIFEST + "\",");
    assertEquals(MediaTypes.DOCKER_MANIFEST, ManifestDocument.parse(MediaTypes.DOCKER_MANIFEST, utf8(docker)).mediaType());
  }

  @Test
  void schema1IsRefusedClearly() {
    ManifestException byHeader = assertThrows(ManifestException.class,
        () -> ManifestDocument.parse(MediaTypes.DOCKER_SCHEMA1_SIGNED, utf8("{}")));
    ManifestException byBody = assertThrows(ManifestException.class,
        () -> ManifestDocument.parse("application/json", utf8("{\"schemaVersion\":1,\"fsLayers\":[]}")));
    for (ManifestException e : List.of(byHeader, byBody)) {
      assertEquals(ManifestException.Reason.SCHEMA1, e.reason());
      assertTrue(e.getMessage().contains("schema 1"), e.getMessage());
    }
  }

  @Test
  void malformedManifestsAreRefused() {
    assertEquals(ManifestException.Reason.MALFORMED, assertThrows(ManifestException.class,
        () -> ManifestDocument.parse("", utf8("not json"))).reason());
    assertEquals(ManifestException.Reason.MALFORMED, assertThrows(ManifestException.class,
        () -> ManifestDocument.parse(MediaTypes.OCI_MANIFEST, utf8("{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"digest\":\"sha256:x\",\"size\":1},\"layers\":[]}"))).reason());
  }

  @Test
  void picksTheHostPlatformAndIgnoresAttestations() throws ManifestException {
    PlatformMatcher amd64 = new PlatformMatcher(new Platform("linux", "amd64", "v1"));
    List<Descriptor> m = index(entry('a', "linux", "arm64", "v8"), entry('e', "unknown", "unknown", null),
        entry('b', "linux", "amd64", null), entry('f', "windows", "amd64", null));
    assertEquals(Digest.parse(d('b')), amd64.select(m).orElseThrow().digest());
    assertEquals(Optional.empty(), amd64.select(index(entry('a', "linux", "arm64", "v8"))));
  }

  @Test
  void variantAware() throws ManifestException {
    List<Descriptor> amd = index(entry('1', "linux", "amd64", null), entry('3', "linux", "amd64", "v3"),
        entry('2', "linux", "amd64", "v2"), entry('4', "linux", "amd64", "v4"));
    assertEquals(Digest.parse(d('3')), new PlatformMatcher(new Platform("linux", "amd64", "v3")).select(amd).orElseThrow().digest(),
        "an exact variant wins");
    assertEquals(Digest.parse(d('1')), new PlatformMatcher(new Platform("linux", "amd64", "v1")).select(amd).orElseThrow().digest(),
        "a v1 host never takes a v2+ image");
    List<Descriptor> noV3 = index(entry('1', "linux", "amd64", null), entry('2', "linux", "amd64", "v2"));
    assertEquals(Digest.parse(d('2')), new PlatformMatcher(new Platform("linux", "amd64", "v3")).select(noV3).orElseThrow().digest(),
        "a v3 host takes the best lower level");
    List<Descriptor> arm = index(entry('5', "linux", "arm", "v5"), entry('6', "linux", "arm", "v6"),
        entry('8', "linux", "arm", "v8"));
    assertEquals(Digest.parse(d('6')), new PlatformMatcher(new Platform("linux", "arm", "v7")).select(arm).orElseThrow().digest());
    List<Descriptor> arm64 = index(entry('a', "linux", "arm64", null));
    assertEquals(Digest.parse(d('a')), new PlatformMatcher(new Platform("linux", "arm64", "v8")).select(arm64).orElseThrow().digest(),
        "arm64 without a variant is v8");
  }

  @Test
  void amd64LevelFromCpuFlags() {
    assertEquals("v1", Platform.amd64Level(Set.of("sse2")));
    assertEquals("v2", Platform.amd64Level(Set.of("cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3")));
  }

  @Test
  void imageConfigAndChainIds() throws ManifestException {
    String diff1 = d('1');
    String diff2 = d('2');
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"1000:1000\","
        + "\"Env\":[\"PATH=/bin\"],\"Entrypoint\":[\"/bin/sh\",\"-c\"],\"Cmd\":[\"echo hi\"],\"WorkingDir\":\"/w\","
        + "\"StopSignal\":\"SIGQUIT\",\"Labels\":{\"a\":\"b\"},\"ExposedPorts\":{\"80/tcp\":{}},\"Volumes\":{\"/data\":{}}},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diff1 + "\",\"" + diff2 + "\"]}}";
    ImageConfigDocument doc = ImageConfigDocument.parse(utf8(config));
    ImageConfig c = doc.config();
    assertEquals(List.of("/bin/sh", "-c"), c.entrypoint());
    assertEquals(List.of("echo hi"), c.cmd());
    assertEquals("/w", c.workingDir());
    assertEquals("SIGQUIT", c.stopSignal());
    assertEquals(1000L, c.uid().getAsLong());
    assertTrue(c.userName().isEmpty());
    assertEquals(List.of("80/tcp"), c.exposedPorts());
    assertEquals(List.of("/data"), c.volumes());
    // chain ids per the OCI image spec: ChainID(L1) = sha256(ChainID(L0) + " " + DiffID(L1))
    assertEquals(Digest.parse(diff1), doc.chainIds().get(0));
    assertEquals(Digest.sha256(utf8(diff1 + " " + diff2)), doc.chainIds().get(1));
  }

  @Test
  void userNamesAndNumericUids() {
    ImageConfig named = new ImageConfig(List.of(), List.of(), List.of(), "", "www-data:www-data", "",
        java.util.Map.of(), List.of(), List.of());
    assertTrue(named.uid().isEmpty());
    assertEquals("www-data", named.userName().orElseThrow());
    assertTrue(ImageConfig.empty().uid().isEmpty());
    assertTrue(ImageConfig.empty().userName().isEmpty());
  }
}
