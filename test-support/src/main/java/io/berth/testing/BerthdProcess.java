package io.berth.testing;

import io.berth.cri.v1.ImageServiceGrpc;
import io.berth.cri.v1.RuntimeServiceGrpc;
import io.berth.cri.v1.VersionRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * berthd as a child JVM ({@code java -XX:+UseSerialGC -cp <this JVM's class path>
 * io.berth.server.BerthdMain --config <dir>/berth.toml}) on its own socket, root and state dirs
 * under one temp dir, with the test registry mirrored for {@code registry.k8s.io}, {@code docker.io}
 * and {@code gcr.io}. The main class must be on the test class path (cri-server's tests have it).
 *
 * <p>{@link #start()} returns once the socket answers {@code Version}; {@link #stop()} sends
 * SIGTERM, {@link #kill()} SIGKILL, {@link #restart()} starts again on the same dirs (state kept).
 * {@link #close()} stops it, removes anything it left (processes and mounts under its dirs, which
 * also fails the test), and deletes the dirs.
 */
public final class BerthdProcess implements AutoCloseable {
  public static final String MAIN_CLASS = "io.berth.server.BerthdMain";
  private static final int MAX_MESSAGE = 16 << 20;
  /** sun_path holds 108 bytes including the terminating NUL. */
  private static final int MAX_SOCKET_PATH = 107;

  private final Path workDir;
  private final Options options;
  private EventLoopGroup eventLoop;
  private ManagedChannel channel;
  private Process process;
  private Thread exitHook;
  private int starts;

  /** How to run berthd; see {@link Builder}. */
  public record Options(
      String mainClass,
      List<String> jvmArgs,
      List<String> extraArgs,
      Optional<String> registryMirror,
      String logLevel,
      String sandboxImage,
      String extraTopLevelToml,
      String extraToml,
      Duration startTimeout,
      boolean failOnLeftovers) {
    public Options {
      jvmArgs = List.copyOf(jvmArgs);
      extraArgs = List.copyOf(extraArgs);
    }
  }

  /** Options for a berthd; {@link #start()} writes the config and waits until it answers. */
  public static final class Builder {
    private String mainClass = MAIN_CLASS;
    private List<String> jvmArgs = List.of("-XX:+UseSerialGC");
    private List<String> extraArgs = List.of();
    private Optional<String> registryMirror = Optional.empty();
    private String logLevel = "debug";
    private String sandboxImage = PushedImages.SANDBOX_IMAGE;
    private final StringBuilder extraTopLevelToml = new StringBuilder();
    private final StringBuilder extraToml = new StringBuilder();
    private Duration startTimeout = Duration.ofSeconds(30);
    private boolean failOnLeftovers = true;
    private Path workDir;

    private Builder() {}

    /** Mirror registry.k8s.io, docker.io and gcr.io to this URL (e.g. {@link RegistryFixture#mirrorUrl()}). */
    public Builder registryMirror(String url) {
      this.registryMirror = Optional.of(url);
      return this;
    }

    public Builder registry(RegistryFixture registry) {
      return registryMirror(registry.mirrorUrl());
    }

    /** TOML key/value lines placed with the top-level keys, before any table (e.g. {@code cgroup_driver = "cgroupfs"}). */
    public Builder extraTopLevelToml(String toml) {
      extraTopLevelToml.append(toml.strip()).append('\n');
      return this;
    }

    /** TOML appended after everything else, typically whole tables ({@code [cni]\nconf_dir = "..."}). */
    public Builder extraToml(String toml) {
      extraToml.append(toml.strip()).append('\n');
      return this;
    }

    public Builder logLevel(String level) {
      this.logLevel = level;
      return this;
    }

    public Builder sandboxImage(String image) {
      this.sandboxImage = image;
      return this;
    }

    public Builder mainClass(String className) {
      this.mainClass = className;
      return this;
    }

    /** JVM flags of the child, replacing the default {@code -XX:+UseSerialGC}. */
    public Builder jvmArgs(String... args) {
      this.jvmArgs = List.of(args);
      return this;
    }

    /** berthd flags after {@code --config FILE}. */
    public Builder extraArgs(String... args) {
      this.extraArgs = List.of(args);
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** Whether {@link #close()} fails when berthd left processes or mounts behind (default true). */
    public Builder failOnLeftovers(boolean fail) {
      this.failOnLeftovers = fail;
      return this;
    }

    /** Use this (empty or earlier) dir instead of a fresh temp dir. */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    public Options options() {
      return new Options(mainClass, jvmArgs, extraArgs, registryMirror, logLevel, sandboxImage,
          extraTopLevelToml.toString(), extraToml.toString(), startTimeout, failOnLeftovers);
    }

    /** Creates the dirs and the config file without starting berthd. */
    public BerthdProcess create() {
      try {
        Path dir = workDir != null ? Files.createDirectories(workDir) : TempDirs.create("berthd-");
        BerthdProcess b = new BerthdProcess(dir, options());
        b.writeConfig();
        return b;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare berthd's dirs", e);
      }
    }

    /** Creates, starts and waits until berthd answers {@code Version}. */
    public BerthdProcess start() {
      BerthdProcess b = create();
      try {
        b.start();
        return b;
      } catch (RuntimeException | Error e) {
        try {
          b.close();
        } catch (RuntimeException | Error suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private BerthdProcess(Path workDir, Options options) {
    this.workDir = workDir;
    this.options = options;
    if (socket().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException("socket path too long for a unix socket: " + socket()
          + " (set -Dberth.test.tmpdir to a shorter dir)");
    }
  }

  public Options options() {
    return options;
  }

  public Path workDir() {
    return workDir;
  }

  public Path socket() {
    return workDir.resolve("run/berth.sock");
  }

  /** {@code unix:///...}, as kubelet's and crictl's endpoint flags take it. */
  public String endpoint() {
    return "unix://" + socket();
  }

  public Path rootDir() {
    return workDir.resolve("root");
  }

  public Path stateDir() {
    return workDir.resolve("run");
  }

  public Path configFile() {
    return workDir.resolve("berth.toml");
  }

  /** stdout and stderr of every run, appended, each run introduced by a {@code ===} line. */
  public Path logFile() {
    return workDir.resolve("berthd.log");
  }

  public String logTail(int lines) {
    return LogFiles.tail(logFile(), lines);
  }

  /** The config as written for berthd. */
  String configText() {
    StringBuilder t = new StringBuilder();
    t.append("# written by io.berth.testing.BerthdProcess\n");
    t.append("socket = ").append(tomlString(socket().toString())).append('\n');
    t.append("root_dir = ").append(tomlString(rootDir().toString())).append('\n');
    t.append("state_dir = ").append(tomlString(stateDir().toString())).append('\n');
    t.append("log_level = ").append(tomlString(options.logLevel())).append('\n');
    t.append("sandbox_image = ").append(tomlString(options.sandboxImage())).append('\n');
    t.append(options.extraTopLevelToml());
    options.registryMirror().ifPresent(url -> {
      for (String host : List.of("registry.k8s.io", "docker.io", "gcr.io")) {
        t.append("\n[registry.hosts.").append(tomlString(host)).append("]\n");
        t.append("mirrors = [").append(tomlString(url)).append("]\n");
      }
    });
    String extra = options.extraToml();
    Optional<Path> monitor = BuiltMonitor.path();
    if (monitor.isPresent() && !extra.contains("monitor_path")) {
      // The berth-monitor this build compiled, never an installed one.
      String line = "monitor_path = " + tomlString(monitor.get().toString()) + "\n";
      if (extra.contains("[runtime]\n")) {
        extra = extra.replace("[runtime]\n", "[runtime]\n" + line);
      } else {
        t.append("\n[runtime]\n").append(line);
      }
    }
    if (!extra.isEmpty()) {
      t.append('\n').append(extra);
    }
    return t.toString();
  }

  static String tomlString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private void writeConfig() throws IOException {
    Files.createDirectories(stateDir());
    Files.createDirectories(rootDir());
    Files.writeString(configFile(), configText());
  }

  /** The command line of the child JVM. */
  List<String> command() {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(options.jvmArgs());
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(options.mainClass());
    argv.add("--config");
    argv.add(configFile().toString());
    argv.addAll(options.extraArgs());
    return argv;
  }

  /** The command line for the log, without the class path (it would fill the log tail). */
  private String shownCommand() {
    List<String> argv = new ArrayList<>(command());
    int cp = argv.indexOf("-cp");
    String[] entries = argv.get(cp + 1).split(java.io.File.pathSeparator);
    argv.set(cp + 1, "<this JVM's class path: " + entries.length + " entries>");
    return String.join(" ", argv);
  }

  /** Starts berthd and waits until {@code Version} answers; fails with the log tail otherwise. */
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException("berthd is already running as pid " + process.pid());
    }
    starts++;
    try {
      Files.writeString(logFile(), "=== berthd start #" + starts + " at " + Instant.now() + ": "
          + shownCommand() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(command())
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      // as deploy/bin/berthd runs it: layer file names need a UTF-8 locale
      pb.environment().put("LC_ALL", "C.UTF-8");
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start berthd", e);
    }
    exitHook = ChildProcesses.killOnJvmExit(process, "berthd");
    awaitVersion();
  }

  private void awaitVersion() {
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("berthd exited with code " + process.exitValue()
            + " before answering Version; " + logFile() + " ends with:\n" + logTail(40));
      }
      if (Files.exists(socket())) {
        try {
          ManagedChannel ch = channel();
          ch.resetConnectBackoff();
          RuntimeServiceGrpc.RuntimeServiceBlockingStub rt = RuntimeServiceGrpc.newBlockingStub(ch)
              .withDeadlineAfter(2, TimeUnit.SECONDS);
          rt.version(VersionRequest.newBuilder().setVersion("v1").build());
          // berthd answers Version at once and the other RPCs with UNAVAILABLE until it has
          // restored its state; tests start when it is fully up, as kubelet waits for it.
          try {
            RuntimeServiceGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                .listPodSandbox(io.berth.cri.v1.ListPodSandboxRequest.getDefaultInstance());
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE) {
              throw e; // still starting
            }
            // any other answer means berthd is past its start-up
          }
          return;
        } catch (StatusRuntimeException notYet) {
          last = notYet;
        }
      }
      sleep(50);
    }
    kill();
    throw new IllegalStateException("berthd did not answer Version on " + socket() + " within "
        + options.startTimeout().toSeconds() + " s" + (last != null ? " (last: " + last.getStatus() + ")" : "")
        + "; " + logFile() + " ends with:\n" + logTail(40));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The pid of the current (or last) berthd process. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("berthd was never started");
    }
    return process.pid();
  }

  /** The exit code of the last run, empty while it runs or before it ever ran. */
  public synchronized Optional<Integer> exitCode() {
    return process == null || process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** SIGTERM, then up to 30 s for a graceful shutdown (SIGKILL after that); returns the exit code. */
  public synchronized int stop() {
    return stop(Duration.ofSeconds(30));
  }

  public synchronized int stop(Duration grace) {
    if (process == null) {
      return 0;
    }
    int code = ChildProcesses.terminate(process, grace);
    ChildProcesses.forgetHook(exitHook);
    return code;
  }

  /** SIGKILL, as a crash: berthd gets no chance to clean up. Waits until it is gone. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.toHandle().destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ChildProcesses.forgetHook(exitHook);
  }

  /** Stops berthd gracefully and starts it again on the same dirs and config. */
  public synchronized void restart() {
    stop();
    start();
  }

  /**
   * A channel to the socket (Netty epoll domain socket, plaintext, 16 MiB messages). The same
   * channel survives {@link #restart()}: it reconnects, and the stubs made from it stay usable.
   */
  public synchronized ManagedChannel channel() {
    if (channel == null) {
      eventLoop = new EpollEventLoopGroup(1);
      channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket().toString()))
          .eventLoopGroup(eventLoop)
          .channelType(EpollDomainSocketChannel.class)
          // unix sockets have no keepalive; null removes gRPC's default and Netty's warning about it
          .withOption(ChannelOption.SO_KEEPALIVE, null)
          .usePlaintext()
          .maxInboundMessageSize(MAX_MESSAGE)
          .build();
    }
    return channel;
  }

  public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return RuntimeServiceGrpc.newBlockingStub(channel());
  }

  public ImageServiceGrpc.ImageServiceBlockingStub images() {
    return ImageServiceGrpc.newBlockingStub(channel());
  }

  /**
   * Stops berthd, closes the channel, ends processes still running from its dirs (monitors,
   * containers), unmounts what is mounted under them, and deletes them. Anything it had to clean
   * fails the test (unless {@code failOnLeftovers(false)}): berth must leave nothing behind.
   */
  @Override
  public synchronized void close() {
    stop();
    if (channel != null) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      channel = null;
    }
    List<String> leftovers = new ArrayList<>();
    try {
      for (String killed : Leftovers.killProcessesUsing(workDir, Duration.ofSeconds(10))) {
        leftovers.add("process " + killed);
      }
      for (Path m : TempDirs.unmountAll(workDir)) {
        leftovers.add("mount " + m);
      }
      TempDirs.deleteRecursively(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up berthd's dir " + workDir, e);
    }
    if (!leftovers.isEmpty() && options.failOnLeftovers()) {
      throw new AssertionError("berthd left these behind (now removed):\n  " + String.join("\n  ", leftovers));
    }
  }

  @Override
  public String toString() {
    return "BerthdProcess[" + socket() + (process != null ? ", pid " + process.pid() : "") + "]";
  }
}
