package io.berth.sandbox;

import io.berth.cri.v1.PodSandboxFilter;
import io.berth.sandbox.store.Sandbox;
import java.util.Map;

/** ListPodSandbox's filter: id (exact or prefix), state, and label selector, combined with AND. */
public final class SandboxFilter {
  private SandboxFilter() {}

  public static boolean matches(PodSandboxFilter filter, Sandbox s) {
    if (filter == null) {
      return true;
    }
    if (!filter.getId().isEmpty() && !s.id().startsWith(filter.getId())) {
      return false;
    }
    if (filter.hasState() && filter.getState().getState() != s.status().state().toCri()) {
      return false;
    }
    return labelsMatch(filter.getLabelSelectorMap(), s.metadata().config().getLabelsMap());
  }

  /** Equality-based selector (CRI supports only matchLabels): every pair must be present. */
  public static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
