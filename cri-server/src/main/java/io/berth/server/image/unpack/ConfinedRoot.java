package io.berth.server.image.unpack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves layer entry names inside a snapshot directory so that nothing outside it is ever
 * touched, whatever the layer contains.
 *
 * <ul>
 *   <li>Names are cleaned lexically first: a leading '/' is dropped (an absolute name is confined
 *       to the snapshot, as Docker and GNU tar do), and a name whose {@code ..} would climb above
 *       the snapshot root is refused.</li>
 *   <li>Each parent component is then looked at with lstat, one by one. A symlink met on the way
 *       is followed as if the snapshot root were '/' (an absolute target restarts at the root,
 *       {@code ..} stops at the root, like a chroot), so a link to {@code /etc} leads to the
 *       snapshot's etc, never the host's. Missing parents are created (0755, as containerd).</li>
 *   <li>The last component is never followed: callers replace whatever is there.</li>
 * </ul>
 * Only berthd writes inside a snapshot while it is being unpacked, so there is no concurrent
 * writer to race with between the checks and the writes.
 */
public final class ConfinedRoot {
  private static final int MAX_SYMLINK_HOPS = 40;

  private final Path root;

  public ConfinedRoot(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** A cleaned, confined entry path: the resolved parent directory and the last component. */
  public record Resolved(Path parent, String leaf) {
    public Path path() {
      return leaf.isEmpty() ? parent : parent.resolve(leaf);
    }
  }

  /**
   * Lexically cleans an entry name into components; an empty list is the root itself.
   * @throws LayerFormatException if the name climbs out with {@code ..}
   */
  public static List<String> clean(String name) throws LayerFormatException {
    if (name.indexOf('\0') >= 0) {
      throw new LayerFormatException("layer entry name contains NUL: " + name);
    }
    List<String> out = new ArrayList<>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (out.isEmpty()) {
          throw new LayerFormatException("layer entry '" + name + "' escapes the snapshot root with '..'");
        }
        out.remove(out.size() - 1);
      } else {
        out.add(c);
      }
    }
    return out;
  }

  /** Resolves {@code name}; parents are created as needed (mode 0755) when {@code createParents}. */
  public Resolved resolve(String name, boolean createParents) throws IOException {
    List<String> parts = clean(name);
    if (parts.isEmpty()) {
      return new Resolved(root, "");
    }
    Path parent = resolveDirectory(name, parts.subList(0, parts.size() - 1), createParents);
    return new Resolved(parent, parts.get(parts.size() - 1));
  }

  private Path resolveDirectory(String name, List<String> components, boolean create) throws IOException {
    Deque<String> todo = new ArrayDeque<>(components);
    List<String> at = new ArrayList<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!at.isEmpty()) {
          at.remove(at.size() - 1);
        }
        continue;
      }
      Path candidate = join(at).resolve(c);
      BasicFileAttributes a = lstat(candidate);
      if (a == null) {
        if (!create) {
          throw new LayerFormatException("layer entry '" + name + "': parent " + relative(candidate) + " does not exist");
        }
        Files.createDirectory(candidate);
        at.add(c);
      } else if (a.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new LayerFormatException("layer entry '" + name + "': too many symlinks in its path");
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          at.clear();
        }
        String[] t = target.split("/");
        for (int i = t.length - 1; i >= 0; i--) {
          todo.addFirst(t[i]);
        }
      } else if (a.isDirectory()) {
        at.add(c);
      } else {
        throw new LayerFormatException("layer entry '" + name + "': " + relative(candidate) + " is not a directory");
      }
    }
    return join(at);
  }

  private Path join(List<String> components) {
    Path p = root;
    for (String c : components) {
      p = p.resolve(c);
    }
    return p;
  }

  private String relative(Path p) {
    return "/" + root.relativize(p);
  }

  /** lstat, or null when the path does not exist. */
  static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }
}
