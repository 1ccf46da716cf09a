package io.berth.bridge.monitor;

import io.berth.os.FileTrees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.berth.bridge.oci.OciRuntime;
import io.berth.bridge.proc.ProcessIdentity;
import io.berth.bridge.spec.oci.Oci;
import io.berth.bridge.spec.oci.OciJson;
import io.berth.os.AtomicFile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives the per-container monitor, one process per container, the way CRI-O drives conmon, so
 * that containers, their logs and their exit codes outlive this JVM. The monitor is berth-monitor
 * (the default; C, in {@code src/main/c/berth-monitor}) or Debian's conmon (2.1.6): both take the
 * same command line and speak the same sync-pipe protocol (see {@link MonitorConfig.Kind} for what
 * differs).
 *
 * <ul>
 *   <li>The monitor runs {@code <runtime> create}, holds the container's stdio, writes the CRI log
 *       ({@code -l k8s-file:<path>}, long lines split into P entries: 16 KiB with berth-monitor,
 *       8 KiB with conmon), reaps the container and writes its exit code to {@code <exit-dir>/<id>}
 *       and {@code <bundle>/exit}, and an {@code oom} file when the cgroup OOM-killed it.
 *   <li>The sync pipe protocol ({@code --api-version} 1): the monitor writes JSON objects
 *       {@code {"data": N[, "message": "..."]}} on the fd named by {@code _OCI_SYNCPIPE}. After
 *       create, N is the container pid, or -1 with the runtime's error. For exec, N is first the
 *       exec'd pid, then its exit code ({@code -1, "command timed out"} after {@code -T}).
 *   <li>Java cannot hand a child extra descriptors, so the monitor is started through
 *       {@code sh -c 'exec 3>&1 1>/dev/null; exec monitor ...'}: fd 3 becomes the stdout pipe of
 *       the child process, and the monitor's own stdout is /dev/null.
 *   <li>{@code --sync} keeps the monitor our direct child instead of double-forking: the JDK then
 *       reaps it promptly (PID 1 on this host reaps orphans lazily), and the pipe stays ours until
 *       the monitor has answered. The monitor calls setsid() itself, so it survives this JVM.
 *   <li>No start pipe: the monitor stays in the daemon's cgroup; it waits for no cgroup placement.
 * </ul>
 */
public final class ContainerMonitor implements AutoCloseable {
  /** Output cap per stream for ExecSync, like containerd. */
  public static final int EXEC_OUTPUT_CAP = 16 << 20;
  /** The monitor stops writing an exec log past this; both streams plus the per-line prefixes fit. */
  private static final long EXEC_LOG_MAX = 64L << 20;
  private static final Duration EXEC_GRACE = Duration.ofSeconds(10);
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final String WRAPPER = "exec 3>&1 1>/dev/null; exec \"$@\"";

  private final MonitorConfig config;
  private final ScheduledExecutorService watchdog;

  public ContainerMonitor(MonitorConfig config) throws IOException {
    this.config = config;
    Files.createDirectories(config.exitDir());
    Files.createDirectories(config.socketDir());
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "berth-monitor-watchdog");
      t.setDaemon(true);
      return t;
    });
  }

  public MonitorConfig config() {
    return config;
  }

  /** Where the monitor writes the exit code of container {@code id}. */
  public Path exitFile(String id) {
    return config.exitDir().resolve(id);
  }

  /**
   * Creates the container through a new monitor and returns once the runtime has created it (its
   * init waits for {@code <runtime> start}). On failure the monitor has exited and the runtime's
   * message is in the exception.
   */
  public CreatedContainer create(ContainerLaunch launch) throws IOException {
    Files.createDirectories(launch.logPath().toAbsolutePath().getParent());
    Path pidFile = launch.bundle().resolve("pidfile");
    Files.deleteIfExists(pidFile);
    Files.deleteIfExists(exitFile(launch.id()));
    Files.deleteIfExists(launch.bundle().resolve("exit"));

    List<String> args = new ArrayList<>();
    args.add(config.binary().toString());
    args.add("--api-version");
    args.addAll(List.of("-b", launch.bundle().toString()));
    args.addAll(List.of("-c", launch.id()));
    args.addAll(List.of("-u", launch.id()));
    args.addAll(List.of("-n", launch.name()));
    args.addAll(List.of("-r", launch.runtime().binary().toString()));
    for (String a : launch.runtime().globalArgs()) {
      args.addAll(List.of("--runtime-arg", a));
    }
    args.addAll(List.of("-p", pidFile.toString()));
    args.addAll(List.of("-0", launch.bundle().toString()));
    args.addAll(List.of("-l", "k8s-file:" + launch.logPath().toAbsolutePath()));
    args.addAll(List.of("--exit-dir", config.exitDir().toString()));
    args.addAll(List.of("--socket-dir-path", config.socketDir().toString()));
    args.addAll(List.of("--log-level", config.logLevel()));
    args.add("--sync");
    if (config.syslog()) {
      args.add("--syslog");
    }
    if (launch.runtime().handler().systemdCgroup()) {
      args.add("-s");
    }
    if (launch.terminal()) {
      args.add("-t");
    } else if (launch.stdin()) {
      if (!launch.stdinOnce()) {
        args.add("--leave-stdin-open");
      }
      args.add("-i");
    }

    Path stderrFile = launch.bundle().resolve("monitor.stderr");
    Process proc = start(args, launch.bundle(), stderrFile);
    ScheduledFuture<?> deadline = watchdog.schedule(proc::destroyForcibly,
        config.createTimeout().toMillis(), TimeUnit.MILLISECONDS);
    JsonNode reply;
    try (InputStream sync = proc.getInputStream()) {
      reply = nextMessage(sync);
    } finally {
      deadline.cancel(false);
    }
    int pid = reply == null ? -1 : reply.path("data").asInt(-1);
    if (pid <= 0) {
      String why = reply != null && reply.hasNonNull("message") ? reply.get("message").asText().trim()
          : proc.isAlive() ? "no answer from the monitor" : "the monitor exited (" + exitOf(proc) + ")";
      proc.destroyForcibly();
      throw new IOException("creating container " + launch.id() + " with " + launch.runtime().name() + " failed: "
          + why + diagnostics(stderrFile));
    }
    Optional<ProcessIdentity> monitor = ProcessIdentity.of((int) proc.pid());
    Optional<ProcessIdentity> init = ProcessIdentity.of(pid);
    if (monitor.isEmpty()) {
      throw new IOException("the monitor of container " + launch.id() + " exited right after creating it"
          + diagnostics(stderrFile));
    }
    // A container can exit between create and here only if started; a created init waits, so it exists.
    return new CreatedContainer(monitor.get(), init.orElse(new ProcessIdentity(pid, -1)));
  }

  /**
   * Runs {@code command} in the running container through a monitor ({@code -e}), with a timeout
   * enforced by the monitor ({@code -T}, whole seconds, rounded up; zero means none) and, as a last
   * resort, by killing the monitor and the exec'd process here.
   */
  public ExecResult exec(String id, OciRuntime runtime, Oci.Process process, Duration timeout, Path scratchDir)
      throws IOException {
    String execId = id.substring(0, Math.min(12, id.length())) + "-" + Long.toHexString(System.nanoTime());
    Path dir = scratchDir.resolve("exec-" + execId);
    Files.createDirectories(dir);
    try {
      Path spec = dir.resolve("process.json");
      AtomicFile.write(spec, OciJson.toBytes(process));
      Path pidFile = dir.resolve("pid");
      Path log = dir.resolve("output.log");
      List<String> args = new ArrayList<>();
      args.add(config.binary().toString());
      args.add("--api-version");
      args.addAll(List.of("-c", id));
      args.addAll(List.of("-u", execId));
      args.addAll(List.of("-n", id));
      args.addAll(List.of("-r", runtime.binary().toString()));
      for (String a : runtime.globalArgs()) {
        args.addAll(List.of("--runtime-arg", a));
      }
      args.addAll(List.of("-p", pidFile.toString()));
      args.add("-e");
      args.addAll(List.of("--exec-process-spec", spec.toString()));
      args.addAll(List.of("-l", "k8s-file:" + log));
      args.addAll(List.of("--log-global-size-max", Long.toString(EXEC_LOG_MAX)));
      args.addAll(List.of("--socket-dir-path", config.socketDir().toString()));
      args.addAll(List.of("--log-level", config.logLevel()));
      args.add("--sync");
      long seconds = 0;
      if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
        seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        args.addAll(List.of("-T", Long.toString(seconds)));
      }

      Path stderrFile = dir.resolve("monitor.stderr");
      Process proc = start(args, dir, stderrFile);
      int[] execPid = {-1};
      ScheduledFuture<?> deadline = null;
      if (seconds > 0) {
        deadline = watchdog.schedule(() -> {
          // The monitor did not enforce the timeout: kill what it runs, then the monitor.
          if (execPid[0] > 0) {
            ProcessIdentity.of(execPid[0]).ifPresent(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
          }
          proc.destroyForcibly();
        }, seconds * 1000 + EXEC_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
      JsonNode started;
      JsonNode finished;
      try (InputStream sync = proc.getInputStream()) {
        MappingIterator<JsonNode> messages = OciJson.mapper().readerFor(JsonNode.class).readValues(sync);
        started = next(messages);
        int pid = started == null ? -1 : started.path("data").asInt(-1);
        if (pid <= 0) {
          waitFor(proc);
          String why = started != null && started.hasNonNull("message") ? started.get("message").asText().trim()
              : "the monitor exited (" + exitOf(proc) + ")";
          throw new IOException("exec in container " + id + " failed: " + why + diagnostics(stderrFile));
        }
        execPid[0] = pid;
        finished = next(messages);
      } finally {
        if (deadline != null) {
          deadline.cancel(false);
        }
      }
      waitFor(proc);
      boolean timedOut = finished != null && finished.path("data").asInt(0) == -1
          && "command timed out".equals(finished.path("message").asText());
      if (finished == null) {
        // conmon kills the exec'd process group on timeout; when that group is conmon's own it dies
        // too, before it can answer (berth-monitor runs the runtime in a group of its own, so it
        // answers). Without an answer after a timeout, the command timed out.
        if (seconds > 0) {
          timedOut = true;
        } else {
          throw new IOException("exec in container " + id + ": the monitor exited (" + exitOf(proc)
              + ") without an exit code" + diagnostics(stderrFile));
        }
      }
      CriLog.Output output = CriLog.read(log, EXEC_OUTPUT_CAP);
      int exitCode = timedOut ? -1 : finished.path("data").asInt(-1);
      return new ExecResult(output.stdout(), output.stderr(), exitCode, timedOut,
          output.stdoutTruncated(), output.stderrTruncated());
    } finally {
      FileTrees.deleteQuietly(dir);
    }
  }

  /**
   * Asks the monitor to reopen the container's log file (after kubelet renamed it for rotation) through
   * the bundle's ctl fifo (message type 2, as CRI-O sends), and waits until a new file is at
   * {@code logPath}.
   */
  public void reopenLog(Path bundle, Path logPath, ProcessIdentity monitor, Duration wait) throws IOException {
    if (!monitor.isAlive()) {
      throw new IOException("the container's monitor (pid " + monitor.pid() + ") is not running");
    }
    Object before = fileKey(logPath);
    // Opened read-write: a fifo opened write-only blocks until a reader exists, and would hang
    // forever if the monitor died in between; read-write never blocks.
    try (FileChannel ctl = FileChannel.open(bundle.resolve("ctl"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ctl.write(ByteBuffer.wrap("2 0 0\n".getBytes(StandardCharsets.US_ASCII)));
    }
    long deadline = System.nanoTime() + wait.toNanos();
    long sleep = 2;
    while (System.nanoTime() < deadline) {
      Object now = fileKey(logPath);
      if (now != null && !now.equals(before)) {
        return;
      }
      sleep(sleep);
      sleep = Math.min(50, sleep * 2);
    }
    throw new IOException("the monitor did not reopen " + logPath + " within " + wait);
  }

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private Process start(List<String> monitorArgs, Path workDir, Path stderrFile) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "sh"));
    cmd.addAll(monitorArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", PATH);
    env.put("_OCI_SYNCPIPE", "3");
    // conmon 2.1.6 writes its "oom" marker into its working directory (berth-monitor into -0 and -b).
    pb.directory(workDir.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()));
    return pb.start();
  }

  private static JsonNode nextMessage(InputStream sync) throws IOException {
    MappingIterator<JsonNode> it = OciJson.mapper().readerFor(JsonNode.class).readValues(sync);
    return next(it);
  }

  /** The next message, or null at end of stream (the monitor exited or was killed). */
  private static JsonNode next(MappingIterator<JsonNode> it) throws IOException {
    try {
      return it.hasNextValue() ? it.nextValue() : null;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("Unexpected end-of-input")) {
        return null;
      }
      throw e;
    }
  }

  private static void waitFor(Process p) throws IOException {
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the monitor");
    }
  }

  private static String exitOf(Process p) {
    try {
      if (p.waitFor(5, TimeUnit.SECONDS)) {
        return "exit " + p.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "still running";
  }

  private static String diagnostics(Path stderrFile) {
    try {
      String text = Files.exists(stderrFile) ? Files.readString(stderrFile).trim() : "";
      if (text.length() > 2000) {
        text = text.substring(text.length() - 2000);
      }
      return text.isEmpty() ? "" : "; the monitor said: " + text;
    } catch (IOException e) {
      return "";
    }
  }

  static void sleep(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }


  @Override
  public void close() {
    watchdog.shutdownNow();
  }

  @Override
  public String toString() {
    return "ContainerMonitor[" + Objects.toString(config.binary()) + "]";
  }
}
