package io.berth.bridge.oci;

import io.berth.bridge.spec.oci.Oci;
import io.berth.bridge.spec.oci.OciJson;
import io.berth.os.AtomicFile;
import io.berth.os.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The verbs crun and runc share, run as child processes. Subclasses only say how each tells
 * "no such container / no such process" apart from real failures.
 */
abstract class CliOciRuntime implements OciRuntime {
  private static final Duration VERB_TIMEOUT = Duration.ofSeconds(60);

  /** Runtimes get a PATH of their own (they exec helpers), not whatever berthd was started with. */
  private static final Map<String, String> ENV = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

  private final RuntimeHandler handler;
  private final CommandRunner runner;

  CliOciRuntime(RuntimeHandler handler, CommandRunner runner) {
    this.handler = handler;
    this.runner = runner;
  }

  /** Whether stderr of a failed verb means the container (or its init process) does not exist. */
  abstract boolean isNotFound(String stderr);

  @Override
  public RuntimeHandler handler() {
    return handler;
  }

  @Override
  public List<String> globalArgs() {
    List<String> args = new ArrayList<>();
    args.add("--root=" + handler.root());
    if (handler.systemdCgroup()) {
      args.add("--systemd-cgroup");
    }
    return args;
  }

  @Override
  public void start(String id) throws IOException {
    run(null, "start", id);
  }

  @Override
  public void kill(String id, int signal, boolean all) throws IOException {
    if (all) {
      run(null, "kill", "--all", id, Integer.toString(signal));
    } else {
      run(null, "kill", id, Integer.toString(signal));
    }
  }

  @Override
  public Optional<RuntimeState> state(String id) throws IOException {
    try {
      CommandRunner.Result r = run(null, "state", id);
      return Optional.of(OciJson.mapper().readValue(r.stdout(), RuntimeStateJson.class).toState());
    } catch (RuntimeCommandException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void delete(String id) throws IOException {
    try {
      run(null, "delete", "--force", id);
    } catch (RuntimeCommandException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  @Override
  public void update(String id, Oci.Resources resources, Path scratchDir) throws IOException {
    // A file rather than stdin: runc reads "-" as stdin, crun 1.8.1 does not.
    Path file = scratchDir.resolve("resources-" + UUID.randomUUID() + ".json");
    AtomicFile.write(file, OciJson.toBytes(resources));
    try {
      run(null, "update", "--resources=" + file, id);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  CommandRunner.Result run(byte[] stdin, String... verbAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(handler.binary().toString());
    cmd.addAll(globalArgs());
    cmd.addAll(List.of(verbAndArgs));
    CommandRunner.Result r = runner.run(cmd, ENV, stdin, VERB_TIMEOUT);
    if (r.exitCode() != 0) {
      String stderr = r.stderrText();
      throw new RuntimeCommandException(handler.name() + " " + String.join(" ", verbAndArgs), r.exitCode(), stderr,
          isNotFound(stderr.toLowerCase(Locale.ROOT)));
    }
    return r;
  }

  /** The state JSON; both runtimes print more fields, which are ignored. */
  record RuntimeStateJson(String id, String status, Integer pid, String bundle) {
    RuntimeState toState() {
      return new RuntimeState(id, status, pid == null ? 0 : pid, bundle);
    }
  }

  /** A runtime for {@code handler}, by its kind. */
  static OciRuntime of(RuntimeHandler handler, CommandRunner runner) {
    return switch (handler.kind()) {
      case CRUN -> new CrunRuntime(handler, runner);
      case RUNC -> new RuncRuntime(handler, runner);
    };
  }
}
