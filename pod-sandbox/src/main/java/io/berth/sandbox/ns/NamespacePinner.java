package io.berth.sandbox.ns;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Creates a pod's namespaces and keeps them alive without any process, as bind-mounted nsfs files
 * (what CRI-O's pinns does). Containers later join them by path.
 */
public interface NamespacePinner {
  /**
   * Creates one new namespace per kind, pins each, sets the hostname (when UTS is among them) and
   * applies the given sysctls inside them. On failure nothing stays pinned.
   *
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when a sysctl does not exist or rejects
   *     its value
   */
  PodNamespaces pin(String sandboxId, Set<NamespaceKind> kinds, String hostname, List<Sysctl> sysctls)
      throws IOException;

  /** Applies sysctls inside already pinned namespaces (per-interface ones, after CNI ADD). */
  void applySysctls(PodNamespaces namespaces, List<Sysctl> sysctls) throws IOException;

  /** Where the pin of {@code kind} for this sandbox is (or would be). */
  Path pinPath(String sandboxId, NamespaceKind kind);

  /** True when the pin file still holds a live namespace (false after a reboot wiped the state dir). */
  boolean isPinned(Path pin) throws IOException;

  /** Unmounts and deletes every pin of the sandbox. Idempotent: missing pins are fine. */
  void unpin(String sandboxId) throws IOException;
}
