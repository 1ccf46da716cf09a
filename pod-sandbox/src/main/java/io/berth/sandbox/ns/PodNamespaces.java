package io.berth.sandbox.ns;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The pinned namespace files of one pod. A kind the pod shares with the host (NODE mode) is absent:
 * containers then join the host's namespace.
 */
public record PodNamespaces(Map<NamespaceKind, Path> pins) {
  public PodNamespaces {
    pins = pins.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(pins));
  }

  public static PodNamespaces none() {
    return new PodNamespaces(Map.of());
  }

  /** The pin file, or null when the pod uses the host's namespace of this kind. */
  public Path path(NamespaceKind kind) {
    return pins.get(kind);
  }

  public boolean has(NamespaceKind kind) {
    return pins.containsKey(kind);
  }
}
