package io.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short host command to completion and hands back its output, or fails saying why. */
final class Commands {
  private Commands() {}

  record Result(int exitCode, String stdout, String stderr) {}

  /** Runs {@code argv} in {@code dir} (null: current dir); any exit code is returned. */
  static Result run(Path dir, List<String> argv) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    String out = readAll(p.getInputStream());
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + " did not finish in 10 minutes");
      }
      return new Result(p.exitValue(), out, err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + argv.get(0), e);
    }
  }

  /** Runs {@code argv} and returns its stdout; a non-zero exit is an IOException with stderr. */
  static String check(Path dir, List<String> argv) throws IOException {
    Result r = run(dir, argv);
    if (r.exitCode() != 0) {
      throw new IOException(String.join(" ", argv) + " exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    return r.stdout();
  }

  static String check(List<String> argv) throws IOException {
    return check(null, argv);
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
