package io.berth.bridge.state;

import io.berth.bridge.spec.oci.OciJson;
import io.berth.os.AtomicFile;
import io.berth.os.ReplacedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One directory per container under {@code root}, holding {@code state.json} (written with
 * {@link AtomicFile}: a daemon killed mid-write leaves the old or the new record, never a torn one)
 * next to the bundle, rootfs and monitor files of that container.
 */
public final class ContainerStore {
  private static final String FILE = "state.json";

  private final Path root;

  public ContainerStore(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root);
  }

  public Path root() {
    return root;
  }

  /** The directory of container {@code id} (its bundle and persist dir). */
  public Path dir(String id) {
    if (id.isEmpty() || id.contains("/") || id.equals(".") || id.equals("..")) {
      throw new IllegalArgumentException("invalid container id \"" + id + "\"");
    }
    return root.resolve(id);
  }

  /** Writes the record durably (fsync): for what cannot be re-derived after a crash, the created pids. */
  public void save(ContainerRecord record) throws IOException {
    AtomicFile.write(dir(record.id()).resolve(FILE), OciJson.toBytes(record));
  }

  /** Replaces the record without fsync: for transitions the runtime and the monitor also record. */
  public void update(ContainerRecord record) throws IOException {
    ReplacedFile.write(dir(record.id()).resolve(FILE), OciJson.toBytes(record));
  }

  /** Container directories without a record: creations cut short by a crash. */
  public List<Path> orphanDirs() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (Files.isDirectory(d) && !Files.exists(d.resolve(FILE))) {
          out.add(d);
        }
      }
    }
    return out;
  }

  public Optional<ContainerRecord> load(String id) throws IOException {
    try {
      return Optional.of(OciJson.fromBytes(Files.readAllBytes(dir(id).resolve(FILE)), ContainerRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Every stored record; unreadable ones are reported, not skipped silently. */
  public List<ContainerRecord> loadAll() throws IOException {
    List<ContainerRecord> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        Path f = d.resolve(FILE);
        if (Files.isRegularFile(f)) {
          try {
            out.add(OciJson.fromBytes(Files.readAllBytes(f), ContainerRecord.class));
          } catch (IOException e) {
            throw new IOException("unreadable container record " + f + ": " + e.getMessage(), e);
          }
        }
      }
    }
    return out;
  }

  /** Removes the record (the directory itself is removed by its owner, after unmounting). */
  public void delete(String id) throws IOException {
    AtomicFile.delete(dir(id).resolve(FILE));
  }
}
