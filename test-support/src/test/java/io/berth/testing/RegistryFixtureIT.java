package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry fixture in each variant, checked by pushing busybox and reading every byte back. */
class RegistryFixtureIT {
  private static TestImages images;

  @BeforeAll
  static void images() {
    HostRequirements.require(HostRequirements.IMAGES);
    images = TestImages.openDefault();
  }

  @Test
  void plainRegistryServesPushedBusyboxWithVerifiedDigests() throws Exception {
    Path workDir;
    long pid;
    try (RegistryFixture reg = RegistryFixture.startPlain()) {
      workDir = reg.workDir();
      pid = reg.pid();
      assertTrue(reg.baseUri().toString().startsWith("http://127.0.0.1:"));
      assertTrue(reg.port() != 5000);
      reg.pusher(images.blobs()).pushImage("busybox", "latest", images.busybox(), ManifestFormat.DOCKER);
      reg.pusher(images.blobs()).pushImage("busybox", "oci", images.busybox(), ManifestFormat.OCI);
      assertImageReadsBack(reg.http(), "busybox", "latest", images.busybox(), ManifestFormat.DOCKER);
      assertImageReadsBack(reg.http(), "busybox", "oci", images.busybox(), ManifestFormat.OCI);
      assertTrue(Files.readString(reg.logFile()).contains("GET /v2/busybox/manifests/latest"), reg.logTail(5));
    }
    assertFalse(Files.exists(workDir), "storage and log removed");
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "registry process ended");
  }

  @Test
  void tlsRegistryIsTrustedWithItsCaOnly() throws Exception {
    try (RegistryFixture reg = RegistryFixture.builder().tls().start()) {
      assertTrue(reg.baseUri().toString().startsWith("https://127.0.0.1:"));
      Path ca = reg.caFile().orElseThrow();
      assertTrue(Files.readString(ca).contains("BEGIN CERTIFICATE"));
      reg.pusher(images.blobs()).pushImage("pause", "3.10", images.pause(), ManifestFormat.OCI);
      assertImageReadsBack(reg.http(), "pause", "3.10", images.pause(), ManifestFormat.OCI);

      RegistryHttp untrusting = new RegistryHttp(reg.baseUri(), Optional.empty(), Optional.empty());
      assertThrows(SSLHandshakeException.class, untrusting::ping, "the JDK's default trust store must not trust the test CA");
    }
  }

  @Test
  void basicAuthRegistryRefusesAnonymousAndAcceptsItsUser() throws Exception {
    try (RegistryFixture reg = RegistryFixture.builder().basicAuth().start()) {
      RegistryCredentials creds = reg.credentials().orElseThrow();
      assertEquals("berth", creds.username());
      assertEquals(401, reg.anonymousHttp().ping());
      RegistryHttp wrong = new RegistryHttp(reg.baseUri(), Optional.of(new RegistryCredentials("berth", "wrong")), Optional.empty());
      assertEquals(401, wrong.ping());
      assertEquals(200, reg.http().ping());

      RegistryPusher anonymous = new RegistryPusher(reg.anonymousHttp(), images.blobs());
      RegistryHttpException refused = assertThrows(RegistryHttpException.class,
          () -> anonymous.pushImage("pause", "3.10", images.pause(), ManifestFormat.DOCKER));
      assertEquals(401, refused.statusCode());

      reg.pusher(images.blobs()).pushImage("pause", "3.10", images.pause(), ManifestFormat.DOCKER);
      assertImageReadsBack(reg.http(), "pause", "3.10", images.pause(), ManifestFormat.DOCKER);
      RegistryHttpException anonymousRead = assertThrows(RegistryHttpException.class,
          () -> reg.anonymousHttp().fetchManifest("pause", "3.10", MediaTypes.DOCKER_MANIFEST));
      assertEquals(401, anonymousRead.statusCode());
    }
  }

  @Test
  void tlsWithBasicAuthTogether() throws Exception {
    try (RegistryFixture reg = RegistryFixture.builder().tls().basicAuth("alice", "s3cret").start()) {
      assertEquals(401, reg.anonymousHttp().ping());
      reg.pusher(images.blobs()).pushImage("busybox", "oci", images.busybox(), ManifestFormat.OCI);
      assertImageReadsBack(reg.http(), "busybox", "oci", images.busybox(), ManifestFormat.OCI);
    }
  }

  @Test
  void standardImagesIncludingBothIndexesArePushed() throws Exception {
    try (RegistryFixture reg = RegistryFixture.startPlain()) {
      PushedImages pushed = reg.pusher(images.blobs()).pushStandardImages(images, reg.hostPort());
      RegistryHttp http = reg.http();
      for (String repo : new String[] {"busybox", "library/busybox"}) {
        assertImageReadsBack(http, repo, "latest", pushed.busybox(), ManifestFormat.DOCKER);
        assertImageReadsBack(http, repo, "oci", pushed.busybox(), ManifestFormat.OCI);
        assertIndexReadsBack(http, repo, "multi", pushed.busyboxOciIndex());
        assertIndexReadsBack(http, repo, "list", pushed.busyboxDockerList());
        assertIndexReadsBack(http, repo, "arm64-only", pushed.arm64OnlyIndex());
      }
      for (String repo : new String[] {"pause", "google-containers/pause"}) {
        assertImageReadsBack(http, repo, "3.10", pushed.pause(), ManifestFormat.DOCKER);
        assertImageReadsBack(http, repo, "3.10-oci", pushed.pause(), ManifestFormat.OCI);
      }

      JsonNode index = http.fetchManifest("busybox", "multi", MediaTypes.OCI_INDEX).bytesAsJson();
      assertEquals(2, index.path("manifests").size());
      JsonNode amd64 = index.path("manifests").get(0);
      JsonNode arm64 = index.path("manifests").get(1);
      assertEquals("linux", amd64.path("platform").path("os").asText());
      assertEquals("amd64", amd64.path("platform").path("architecture").asText());
      assertEquals("arm64", arm64.path("platform").path("architecture").asText());
      assertEquals("v8", arm64.path("platform").path("variant").asText());
      assertEquals(pushed.busybox().ociManifest().digest().toString(), amd64.path("digest").asText());
      // The arm64 entry leads to a different image whose config says arm64.
      JsonNode armManifest = http.fetchManifest("busybox", arm64.path("digest").asText(), MediaTypes.OCI_MANIFEST).bytesAsJson();
      Digest armConfig = Digest.parse(armManifest.path("config").path("digest").asText());
      JsonNode armConfigJson = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
          .readTree(http.fetchBlob("busybox", armConfig));
      assertEquals("arm64", armConfigJson.path("architecture").asText());
      assertFalse(armConfig.toString().equals(pushed.busybox().id()));
      assertEquals(PushedImages.BUSYBOX, "docker.io/library/busybox:latest");
      assertEquals(reg.hostPort() + "/busybox:oci", pushed.direct("busybox:oci"));
    }
  }

  /** Fetches the manifest and every blob it names, and checks each against its digest. */
  static void assertImageReadsBack(RegistryHttp http, String repo, String tag, BuiltImage image, ManifestFormat format)
      throws Exception {
    ManifestBlob expected = image.manifest(format);
    RegistryHttp.FetchedManifest got = http.fetchManifest(repo, tag, format.manifestMediaType());
    assertEquals(format.manifestMediaType(), got.contentType());
    assertArrayEquals(expected.bytes(), got.bytes(), "manifest bytes of " + repo + ":" + tag);
    assertEquals(expected.digest(), got.digest());
    assertEquals(Optional.of(expected.digest().toString()), got.dockerContentDigest());
    JsonNode m = got.bytesAsJson();
    Digest config = Digest.parse(m.path("config").path("digest").asText());
    assertEquals(config, Digest.of(http.fetchBlob(repo, config)), "config digest verifies");
    assertEquals(image.configDigest(), config);
    int i = 0;
    for (JsonNode l : m.path("layers")) {
      Digest d = Digest.parse(l.path("digest").asText());
      byte[] blob = http.fetchBlob(repo, d);
      assertEquals(d, Digest.of(blob), "layer digest verifies");
      assertEquals(l.path("size").asLong(), blob.length);
      assertEquals(image.layers().get(i++).digest(), d);
    }
    assertEquals(image.layers().size(), i);
  }

  static void assertIndexReadsBack(RegistryHttp http, String repo, String tag, ImageIndex index) throws Exception {
    RegistryHttp.FetchedManifest got = http.fetchManifest(repo, tag, index.format().indexMediaType());
    assertEquals(index.format().indexMediaType(), got.contentType());
    assertEquals(index.manifest().digest(), got.digest());
    for (BuiltImage img : index.images()) {
      assertImageReadsBack(http, repo, img.manifest(index.format()).digest().toString(), img, index.format());
    }
  }
}
