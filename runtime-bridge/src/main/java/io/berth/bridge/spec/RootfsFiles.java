package io.berth.bridge.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Reads files of a container's root filesystem from the host, resolving symlinks as the container
 * would see them: an absolute link target is relative to the rootfs and {@code ..} never leaves it.
 * An image whose /etc/passwd links to /../../etc/shadow must read its own file, not the host's.
 */
public final class RootfsFiles {
  private static final int MAX_LINKS = 40;

  private RootfsFiles() {}

  /** The file's text, or empty when it (or a directory on the way) does not exist. */
  public static Optional<String> read(Path rootfs, String containerPath) throws IOException {
    Optional<Path> resolved = resolve(rootfs, containerPath);
    if (resolved.isEmpty() || !Files.isRegularFile(resolved.get(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(resolved.get(), StandardCharsets.UTF_8));
  }

  /** The host path of {@code containerPath} inside {@code rootfs}, all symlinks resolved within it. */
  public static Optional<Path> resolve(Path rootfs, String containerPath) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, containerPath);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        done.pollLast();
        continue;
      }
      Path candidate = join(rootfs, done).resolve(part);
      if (Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new IOException("too many levels of symbolic links resolving " + containerPath);
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        push(todo, target);
        continue;
      }
      if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      done.addLast(part);
    }
    return Optional.of(join(rootfs, done));
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }

  private static Path join(Path root, Deque<String> parts) {
    Path p = root;
    for (String part : parts) {
      p = p.resolve(part);
    }
    return p;
  }
}
