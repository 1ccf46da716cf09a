package io.berth.os;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived host program (a CNI plugin, util-linux unshare/nsenter) to completion: feeds
 * stdin, collects stdout and stderr without risking a full-pipe deadlock, and kills the program
 * and its descendants (by PID) if it outlives the timeout. Thread safe; one instance can serve
 * many concurrent calls.
 */
public final class CommandRunner implements AutoCloseable {
  /** What a finished program left: exit code and both output streams. */
  public record Result(int exitCode, byte[] stdout, byte[] stderr) {
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
      return new String(stderr, StandardCharsets.UTF_8).strip();
    }
  }

  /** Thrown when the program did not finish within the timeout and was killed. */
  public static final class TimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message) {
      super(message);
    }
  }

  private static final int MAX_CAPTURE = 4 << 20;

  private final ExecutorService readers;
  /** Prepended to every command (e.g. {@code nice -n 10}); empty for none. */
  private final List<String> prefix;

  public CommandRunner() {
    this(List.of());
  }

  /**
   * A runner whose programs run at the given nice value (through coreutils' {@code nice}): for
   * background work that must yield the CPU to request handling. Only the programs are niced,
   * not any thread of this JVM (threads inherit their creator's nice value, and the JDK's process
   * reaper and pools are shared with the RPCs).
   */
  public static CommandRunner niced(int nice) {
    return new CommandRunner(List.of("nice", "-n", Integer.toString(nice)));
  }

  private CommandRunner(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
    // Stream readers only block on pipes; daemon threads so a forgotten close() never pins the JVM.
    this.readers = Executors.newCachedThreadPool(DaemonThreads.named("command-output"));
  }

  /**
   * @param env variables added to (and overriding) this process's environment
   * @param stdin bytes written to the program's stdin, then closed; null for none
   */
  public Result run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout)
      throws IOException {
    List<String> argv = command;
    if (!prefix.isEmpty()) {
      argv = new ArrayList<>(prefix);
      argv.addAll(command);
    }
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), readers);
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), readers);
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException e) {
      // The program exited without reading all of stdin; its exit code and output tell why.
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
        throw new TimeoutException(command.get(0) + " did not finish within " + timeout + " and was killed");
      }
      // A descendant that inherited our pipes could keep them open after the program exits.
      long grace = Math.max(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime());
      try {
        return new Result(p.exitValue(), out.get(grace, TimeUnit.NANOSECONDS),
            err.get(grace, TimeUnit.NANOSECONDS));
      } catch (java.util.concurrent.TimeoutException e) {
        throw new TimeoutException(command.get(0) + " exited but a process it left behind keeps its output open");
      }
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    } catch (ExecutionException e) {
      throw new IOException("reading output of " + command.get(0), e.getCause());
    }
  }

  private static byte[] drain(InputStream in) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        // Keep reading past the cap so the program never blocks on a full pipe.
        if (buf.size() < MAX_CAPTURE) {
          buf.write(chunk, 0, Math.min(n, MAX_CAPTURE - buf.size()));
        }
      }
    } catch (IOException e) {
      // The pipe closed under us (program killed); return what we have.
    }
    return buf.toByteArray();
  }

  @Override
  public void close() {
    readers.shutdown();
  }
}
