package io.berth.server.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.server.image.reference.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRecordStoreTest {
  @TempDir Path dir;

  private static Digest d(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ImageRecord record(String name, Long uid) {
    return new ImageRecord(d(name), List.of("docker.io/library/" + name + ":latest"),
        List.of("docker.io/library/" + name + "@" + d("m" + name)), d("m" + name), d("m" + name),
        List.of(new LayerRecord(d("l" + name), 10, "application/vnd.oci.image.layer.v1.tar+gzip", d("diff" + name),
            d("diff" + name))), List.of(d("m" + name), d(name), d("l" + name)), 123, uid, uid == null ? "nobody" : "",
        false, Instant.parse("2026-01-02T03:04:05Z"));
  }

  @Test
  void recordsSurviveAReopen() throws IOException {
    ImageRecordStore store = new ImageRecordStore(dir);
    store.update(all -> {
      all.put(d("a"), record("a", 1000L));
      all.put(d("b"), record("b", null));
      return all;
    });
    ImageRecordStore reopened = new ImageRecordStore(dir);
    assertEquals(store.all(), reopened.all());
    assertEquals("nobody", reopened.get(d("b")).orElseThrow().username());
    assertTrue(Files.readString(dir.resolve("images.json")).contains("\"version\" : 1"));
  }

  @Test
  void aFailedChangeChangesNothing() throws IOException {
    ImageRecordStore store = new ImageRecordStore(dir);
    store.update(all -> {
      all.put(d("a"), record("a", 1L));
      return all;
    });
    assertThrows(IllegalStateException.class, () -> store.update(all -> {
      all.clear();
      throw new IllegalStateException("boom");
    }));
    assertEquals(1, store.all().size());
  }

  @Test
  void anUnknownVersionIsRefused() throws IOException {
    Files.writeString(dir.resolve("images.json"), "{\"version\":99,\"images\":[]}");
    IOException e = assertThrows(IOException.class, () -> new ImageRecordStore(dir));
    assertTrue(e.getMessage().contains("version 99"), e.getMessage());
  }
}
