package io.berth.sandbox.store;

import io.berth.os.AtomicFile;
import io.berth.sandbox.Errors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Every sandbox, in memory and on disk: one JSON file per sandbox, {@code <dir>/<id>.json},
 * replaced atomically on each change. The in-memory copy changes only after the file did, so
 * what callers read is always what a restarted berthd would load.
 */
public final class SandboxStore {
  /** The on-disk document; {@code version} lets a later berth migrate old files. */
  record SandboxFile(int version, SandboxMetadata metadata, SandboxStatus status) {}

  static final int FORMAT_VERSION = 1;
  private static final System.Logger LOG = System.getLogger(SandboxStore.class.getName());

  private final Path dir;
  private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final List<String> loadProblems = new ArrayList<>();

  /** Loads every record in {@code dir}; a file that cannot be read is reported and left in place. */
  public SandboxStore(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String n = f.getFileName().toString();
        if (n.startsWith(".") || !n.endsWith(".json") || !Files.isRegularFile(f)) {
          continue;
        }
        try {
          SandboxFile file = SandboxJson.mapper().readValue(f.toFile(), SandboxFile.class);
          Sandbox s = new Sandbox(file.metadata(), file.status());
          if (!(s.id() + ".json").equals(n)) {
            throw new IOException("record id " + s.id() + " does not match its file name");
          }
          sandboxes.put(s.id(), s);
        } catch (IOException | RuntimeException e) {
          String problem = "cannot load sandbox record " + f + ": " + e.getMessage();
          loadProblems.add(problem);
          LOG.log(System.Logger.Level.WARNING, problem);
        }
      }
    }
  }

  /** Records that could not be loaded at construction, for the daemon's startup log. */
  public List<String> loadProblems() {
    return List.copyOf(loadProblems);
  }

  public void create(Sandbox s) throws IOException {
    if (sandboxes.containsKey(s.id())) {
      throw new IllegalStateException("sandbox " + s.id() + " already stored");
    }
    write(s);
    sandboxes.put(s.id(), s);
  }

  /**
   * Applies {@code change} to the status, persists it, then publishes it. Updates of one sandbox
   * are serialized; other sandboxes are not blocked.
   *
   * @throws io.grpc.StatusRuntimeException NOT_FOUND when the sandbox is gone
   */
  public Sandbox update(String id, UnaryOperator<SandboxStatus> change) throws IOException {
    try {
      Sandbox updated = sandboxes.computeIfPresent(id, (k, current) -> {
        Sandbox next = current.withStatus(change.apply(current.status()));
        try {
          write(next);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return next;
      });
      if (updated == null) {
        throw Errors.notFound("pod sandbox " + id + " not found");
      }
      return updated;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  public void delete(String id) throws IOException {
    AtomicFile.delete(file(id));
    sandboxes.remove(id);
  }

  public Optional<Sandbox> get(String id) {
    return Optional.ofNullable(sandboxes.get(id));
  }

  /** All sandboxes, oldest first. */
  public List<Sandbox> list() {
    List<Sandbox> all = new ArrayList<>(sandboxes.values());
    all.sort(Comparator.comparingLong((Sandbox s) -> s.metadata().createdAtNanos()).thenComparing(Sandbox::id));
    return all;
  }

  private void write(Sandbox s) throws IOException {
    AtomicFile.write(file(s.id()),
        SandboxJson.mapper().writeValueAsBytes(new SandboxFile(FORMAT_VERSION, s.metadata(), s.status())));
  }

  Path file(String id) {
    return dir.resolve(id + ".json");
  }
}
