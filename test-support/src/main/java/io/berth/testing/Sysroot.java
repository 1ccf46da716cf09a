package io.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A directory seen as the root of a file system (the host's {@code /}, or a .deb extracted into a
 * temp dir): absolute symlinks inside it are resolved against it, not against the host.
 */
public record Sysroot(Path root) {
  /** Where glibc's loader looks for libraries on Debian amd64, in its order. */
  private static final List<String> LIBRARY_DIRS = List.of(
      "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib");

  public static Sysroot host() {
    return new Sysroot(Path.of("/"));
  }

  /** The host path of {@code path} (absolute inside this root), following symlinks inside the root. */
  public Optional<Path> resolve(String path) throws IOException {
    Deque<String> todo = new ArrayDeque<>(components(path));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String comp = todo.removeFirst();
      if (comp.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      done.add(comp);
      Path here = hostPath(done);
      if (Files.isSymbolicLink(here)) {
        if (++links > 40) {
          throw new IOException("too many symlinks resolving " + path + " in " + root);
        }
        String target = Files.readSymbolicLink(here).toString();
        done.remove(done.size() - 1);
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> targetComps = components(target);
        for (int i = targetComps.size() - 1; i >= 0; i--) {
          todo.addFirst(targetComps.get(i));
        }
      } else if (!Files.exists(here)) {
        return Optional.empty();
      }
    }
    return Optional.of(hostPath(done));
  }

  /**
   * Everything the dynamic loader opens to run {@code executable} (absolute inside this root): the
   * interpreter and each needed library, transitively, as the paths the loader asks for.
   * Empty for a static executable.
   */
  public List<String> runtimeDependencies(String executable) throws IOException {
    Set<String> result = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(executable));
    Set<String> seen = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      String current = todo.removeFirst();
      if (!seen.add(current)) {
        continue;
      }
      Path file = resolve(current).orElseThrow(() -> new IOException(current + " not found in " + root));
      ElfFile elf = ElfFile.read(file);
      if (elf.interpreter().isPresent()) {
        result.add(elf.interpreter().get());
        todo.add(elf.interpreter().get());
      }
      for (String lib : elf.needed()) {
        String found = findLibrary(lib)
            .orElseThrow(() -> new IOException(current + " needs " + lib + ", not found in " + root + LIBRARY_DIRS));
        result.add(found);
        todo.add(found);
      }
    }
    result.remove(executable);
    return List.copyOf(result);
  }

  private Optional<String> findLibrary(String soname) throws IOException {
    if (soname.contains("/")) {
      return resolve(soname).isPresent() ? Optional.of(soname) : Optional.empty();
    }
    for (String dir : LIBRARY_DIRS) {
      String candidate = dir + "/" + soname;
      if (resolve(candidate).isPresent()) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private Path hostPath(List<String> comps) {
    Path p = root;
    for (String c : comps) {
      p = p.resolve(c);
    }
    return p;
  }

  static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        out.add(c);
      }
    }
    return out;
  }
}
