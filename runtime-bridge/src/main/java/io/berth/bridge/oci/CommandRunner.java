package io.berth.bridge.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs short-lived host commands (the OCI runtime's verbs) with a deadline, capturing bounded
 * stdout and stderr. The environment is reduced to PATH so nothing of the daemon's leaks into
 * runtimes and containers.
 */
public final class CommandRunner {
  private static final int MAX_CAPTURE = 1 << 20;
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private CommandRunner() {}

  public static CommandResult run(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", PATH);
    pb.directory(Path.of("/").toFile());
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p = pb.start();
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    if (stdin != null) {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      } catch (IOException ignored) {
        // The command exited without reading its input; its exit code tells why.
      }
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new CommandResult(p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running " + command.get(0));
    }
  }

  /**
   * Reads a stream to its end on a thread of its own: the common fork-join pool has a single
   * thread on a 2-core host, and two blocking drains queued there could deadlock with the child.
   */
  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread t = new Thread(() -> result.complete(readCapped(in)), "berth-cmd-drain");
    t.setDaemon(true);
    t.start();
    return result;
  }

  static byte[] readCapped(InputStream in) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        if (buf.size() < MAX_CAPTURE) {
          buf.write(chunk, 0, Math.min(n, MAX_CAPTURE - buf.size()));
        }
      }
    } catch (IOException ignored) {
      // Stream closed as the process ended.
    }
    return buf.toByteArray();
  }
}
