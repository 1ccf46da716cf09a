package io.berth.bridge.spec;

import java.util.Objects;

/**
 * Where a container's namespace of one type comes from: the host's (no entry in the spec), a new
 * one of its own, or an existing one joined by path (a pod's pinned namespace file, or
 * {@code /proc/<pid>/ns/<type>} of a target container).
 */
public record NamespaceRef(Mode mode, String path) {
  public enum Mode { HOST, NEW, JOIN }

  public NamespaceRef {
    Objects.requireNonNull(mode, "mode");
    if (mode == Mode.JOIN && (path == null || path.isEmpty())) {
      throw new IllegalArgumentException("a joined namespace needs a path");
    }
    if (mode != Mode.JOIN) {
      path = null;
    }
  }

  public static NamespaceRef host() {
    return new NamespaceRef(Mode.HOST, null);
  }

  public static NamespaceRef fresh() {
    return new NamespaceRef(Mode.NEW, null);
  }

  public static NamespaceRef join(String path) {
    return new NamespaceRef(Mode.JOIN, path);
  }

  public boolean isHost() {
    return mode == Mode.HOST;
  }
}
