package io.berth.bridge.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogTest {
  private static final String TS = "2024-05-01T10:00:00.123456789+00:00";

  @Test
  void fullAndPartialEntriesPerStream(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("exec.log");
    Files.writeString(log, TS + " stdout P hel\n" + TS + " stderr F warn\n" + TS + " stdout F lo\n"
        + TS + " stdout F \n" + TS + " stdout P no newline at end\n");
    CriLog.Output out = CriLog.read(log, 1 << 20);
    assertEquals("hello\n\nno newline at end", new String(out.stdout(), StandardCharsets.UTF_8));
    assertEquals("warn\n", new String(out.stderr(), StandardCharsets.UTF_8));
    assertFalse(out.stdoutTruncated());
  }

  @Test
  void eachStreamIsCapped(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("exec.log");
    Files.writeString(log, TS + " stdout F 0123456789\n" + TS + " stderr F ab\n");
    CriLog.Output out = CriLog.read(log, 4);
    assertArrayEquals("0123".getBytes(StandardCharsets.UTF_8), out.stdout());
    assertTrue(out.stdoutTruncated());
    assertEquals("ab\n", new String(out.stderr(), StandardCharsets.UTF_8));
    assertFalse(out.stderrTruncated());
  }

  @Test
  void aMissingLogIsEmptyOutput(@TempDir Path dir) throws Exception {
    assertEquals(0, CriLog.read(dir.resolve("none"), 10).stdout().length);
  }
}
