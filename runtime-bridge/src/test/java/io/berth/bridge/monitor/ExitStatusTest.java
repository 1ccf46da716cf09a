package io.berth.bridge.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitStatusTest {
  @Test
  void codeFromContentTimeFromModificationTime(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("id");
    Files.writeString(f, "137");
    Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(1_700_000_000L, 123_456_789)));
    assertEquals(new ExitStatus(137, 1_700_000_000_123_456_789L), ExitStatus.read(f).orElseThrow());
  }

  @Test
  void absentOrEmptyIsNotYet(@TempDir Path dir) throws Exception {
    assertTrue(ExitStatus.read(dir.resolve("none")).isEmpty());
    Files.writeString(dir.resolve("empty"), "");
    assertTrue(ExitStatus.read(dir.resolve("empty")).isEmpty());
  }

  @Test
  void garbageIsAnError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bad"), "x");
    assertThrows(IOException.class, () -> ExitStatus.read(dir.resolve("bad")));
  }
}
