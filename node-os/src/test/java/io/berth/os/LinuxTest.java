package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LinuxTest {
  private final Linux linux = Linux.load();

  /** Field 19 of /proc/<pid>/task/<tid>/stat (after the parenthesised command name). */
  private static int niceOf(Path stat) throws Exception {
    String s = Files.readString(stat);
    String[] after = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(after[16]);
  }

  @Test
  void niceCurrentThreadLowersOnlyThatThreadAndWhatItStarts() throws Exception {
    int before = niceOf(Path.of("/proc/thread-self/stat"));
    CompletableFuture<int[]> seen = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        linux.niceCurrentThread(7);
        int own = niceOf(Path.of("/proc/thread-self/stat"));
        // A process started by this thread inherits its nice value.
        Process p = new ProcessBuilder("sh", "-c", "cut -d' ' -f19 /proc/self/stat").start();
        int child = Integer.parseInt(new String(p.getInputStream().readAllBytes()).trim());
        p.waitFor();
        seen.complete(new int[] {own, child});
      } catch (Exception e) {
        seen.completeExceptionally(e);
      }
    });
    t.start();
    int[] nice = seen.get();
    assertEquals(7, nice[0], "the thread's own nice value");
    assertEquals(7, nice[1], "inherited by the process it started");
    assertEquals(before, niceOf(Path.of("/proc/thread-self/stat")), "other threads keep theirs");
  }
}
