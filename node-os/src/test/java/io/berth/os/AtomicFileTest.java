package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void replacesContentAndLeavesNoTempFiles() throws Exception {
    Path f = dir.resolve("sub/state.json");
    AtomicFile.write(f, "one");
    AtomicFile.write(f, "two");
    assertEquals("two", Files.readString(f));
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(1, s.count(), "temp file left behind");
    }
    AtomicFile.delete(f);
    AtomicFile.delete(f);
    assertFalse(Files.exists(f));
  }
}
