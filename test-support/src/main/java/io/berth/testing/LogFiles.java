package io.berth.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the end of a fixture's log file for a failure message. */
public final class LogFiles {
  private LogFiles() {}

  /** Longer lines (one-line stack traces) are cut, so a tail stays readable in a test report. */
  private static final int MAX_LINE = 1000;

  /**
   * The last {@code lines} lines of {@code file} (read from at most its last 64 KiB, each line cut
   * at 1000 characters), or a note why there are none.
   */
  public static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no log file " + file + ")";
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 64 * 1024);
      byte[] buf = new byte[n];
      f.seek(len - n);
      f.readFully(buf);
      String text = new String(buf, StandardCharsets.UTF_8);
      String[] all = text.split("\n", -1);
      int end = all.length;
      if (end > 0 && all[end - 1].isEmpty()) {
        end--;
      }
      int start = Math.max(0, end - lines);
      StringBuilder out = new StringBuilder();
      for (int i = start; i < end; i++) {
        String line = all[i];
        if (line.length() > MAX_LINE) {
          line = line.substring(0, MAX_LINE) + " …[" + (line.length() - MAX_LINE) + " more chars]";
        }
        out.append(line).append(i + 1 < end ? "\n" : "");
      }
      return out.toString();
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
