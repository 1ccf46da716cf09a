package io.berth.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxFilter;
import io.berth.cri.v1.PodSandboxState;
import io.berth.cri.v1.PodSandboxStateValue;
import io.berth.sandbox.store.Sandbox;
import io.berth.sandbox.store.SandboxMetadata;
import io.berth.sandbox.store.SandboxState;
import io.berth.sandbox.store.SandboxStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxFilterTest {
  private static Sandbox sandbox(String id, SandboxState state, Map<String, String> labels) {
    PodSandboxConfig c = PodSandboxConfig.newBuilder().putAllLabels(labels).build();
    return new Sandbox(new SandboxMetadata(id, "n", 1, "", "h", "/f", "", c), SandboxStatus.creating().withState(state));
  }

  @Test
  void labelSelectorNeedsEveryPairToMatch() {
    Map<String, String> labels = Map.of("app", "web", "tier", "front");
    assertTrue(SandboxFilter.labelsMatch(Map.of(), labels));
    assertTrue(SandboxFilter.labelsMatch(Map.of("app", "web"), labels));
    assertTrue(SandboxFilter.labelsMatch(Map.of("app", "web", "tier", "front"), labels));
    assertFalse(SandboxFilter.labelsMatch(Map.of("app", "db"), labels));
    assertFalse(SandboxFilter.labelsMatch(Map.of("app", "web", "zone", "a"), labels));
    assertFalse(SandboxFilter.labelsMatch(Map.of("app", ""), labels));
  }

  @Test
  void idPrefixStateAndLabelsCombineWithAnd() {
    Sandbox ready = sandbox("abc123", SandboxState.READY, Map.of("app", "web"));
    Sandbox creating = sandbox("abd456", SandboxState.CREATING, Map.of("app", "web"));
    assertTrue(SandboxFilter.matches(null, ready));
    assertTrue(SandboxFilter.matches(PodSandboxFilter.newBuilder().setId("abc").build(), ready));
    assertFalse(SandboxFilter.matches(PodSandboxFilter.newBuilder().setId("abc").build(), creating));
    PodSandboxFilter notReady = PodSandboxFilter.newBuilder()
        .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_NOTREADY)).build();
    assertTrue(SandboxFilter.matches(notReady, creating), "a sandbox being created is not ready");
    assertFalse(SandboxFilter.matches(notReady, ready));
    PodSandboxFilter all = PodSandboxFilter.newBuilder().setId("ab")
        .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY))
        .putLabelSelector("app", "web").build();
    assertTrue(SandboxFilter.matches(all, ready));
    assertFalse(SandboxFilter.matches(all.toBuilder().putLabelSelector("app", "db").build(), ready));
  }
}
