package io.berth.server.image.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.server.image.manifest.Descriptor;
import io.berth.server.image.reference.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  @TempDir Path dir;

  private static final byte[] DATA = "some blob".getBytes(StandardCharsets.UTF_8);

  private long ingestFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("ingest"))) {
      return s.count();
    }
  }

  @Test
  void verifiedBlobsLandAtTheirDigest() throws IOException {
    ContentStore store = new ContentStore(dir);
    Descriptor d = new Descriptor("", Digest.sha256(DATA), DATA.length);
    store.put(d, DATA);
    assertTrue(store.contains(d.digest()));
    assertArrayEquals(DATA, store.read(d.digest()));
    assertEquals(dir.resolve("sha256").resolve(d.digest().hex()), store.path(d.digest()));
    assertEquals(List.of(d.digest()), store.list());
    assertEquals(0, ingestFiles());
  }

  @Test
  void aWrongDigestKeepsNothing() throws IOException {
    ContentStore store = new ContentStore(dir);
    Descriptor d = new Descriptor("", Digest.sha256("other".getBytes(StandardCharsets.UTF_8)), DATA.length);
    BlobVerificationException e = assertThrows(BlobVerificationException.class, () -> store.put(d, DATA));
    assertTrue(e.getMessage().contains("different digest"), e.getMessage());
    assertFalse(store.contains(d.digest()));
    assertEquals(0, ingestFiles());
  }

  @Test
  void tooManyOrTooFewBytesAreRefused() throws IOException {
    ContentStore store = new ContentStore(dir);
    Descriptor small = new Descriptor("", Digest.sha256(DATA), DATA.length - 1);
    try (BlobIngest in = store.begin(small)) {
      assertThrows(BlobVerificationException.class, () -> in.write(ByteBuffer.wrap(DATA)));
    }
    Descriptor big = new Descriptor("", Digest.sha256(DATA), DATA.length + 10);
    try (BlobIngest in = store.begin(big);
        InputStream tee = new TeeVerifyingInputStream(new ByteArrayInputStream(DATA), in)) {
      BlobVerificationException e = assertThrows(BlobVerificationException.class, tee::readAllBytes);
      assertTrue(e.getMessage().contains("ended after"), e.getMessage());
    }
    assertEquals(0, ingestFiles());
  }

  @Test
  void startupSweepRemovesPartialDownloads() throws IOException {
    ContentStore store = new ContentStore(dir);
    Files.writeString(dir.resolve("ingest/abc.partial"), "half");
    assertEquals(1, store.sweepIngests());
    assertEquals(0, ingestFiles());
  }
}
