package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** What the extension injects, and how it reports a berthd that does not come up. */
@ExtendWith(BerthExtension.class)
class BerthExtensionIT {
  /** The registry the first test saw, to check that every test gets the same one. */
  private static final AtomicReference<RegistryFixture> SEEN = new AtomicReference<>();

  @Test
  void injectsTheSharedRegistryWithTheStandardImagesPushed(RegistryFixture registry, PushedImages pushed, TestImages images)
      throws Exception {
    sameRegistry(registry);
    assertEquals(registry.hostPort(), pushed.registryHost());
    assertSame(images.busybox(), pushed.busybox());
    RegistryHttp http = registry.http();
    assertEquals(pushed.pause().manifest(ManifestFormat.DOCKER).digest(),
        http.fetchManifest("pause", "3.10", MediaTypes.DOCKER_MANIFEST).digest());
    assertEquals(pushed.busybox().manifest(ManifestFormat.OCI).digest(),
        http.fetchManifest("library/busybox", "oci", MediaTypes.OCI_MANIFEST).digest());
    assertEquals(pushed.busyboxOciIndex().manifest().digest(),
        http.fetchManifest("library/busybox", "multi", MediaTypes.OCI_INDEX).digest());
  }

  @Test
  void everyTestGetsTheSameRegistry(RegistryFixture registry) {
    sameRegistry(registry);
    assertTrue(registry.isRunning());
  }

  @Nested
  class InANestedClass {
    @Test
    void theRegistryIsStillTheSame(RegistryFixture registry) {
      sameRegistry(registry);
    }
  }

  private static void sameRegistry(RegistryFixture registry) {
    SEEN.compareAndSet(null, registry);
    assertSame(SEEN.get(), registry, "one registry per JVM");
  }

  @Test
  void aBerthdThatCannotStartFailsTheTestWithItsLog() {
    // cri-server is not on this module's class path, so BerthdMain cannot load: the test must
    // FAIL (not skip), and say why from berthd's own output.
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(NeedsBerthd.class)).build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    assertEquals(1, summary.getTestsFailedCount());
    assertEquals(0, summary.getTestsSkippedCount() + summary.getTestsAbortedCount());
    List<TestExecutionSummary.Failure> failures = summary.getFailures();
    Throwable t = failures.get(0).getException();
    StringBuilder messages = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      messages.append(c.getMessage()).append('\n');
    }
    assertTrue(messages.toString().contains("Could not find or load main class io.berth.server.BerthdMain"), messages.toString());
  }

  /** Run only by the launcher above (a plain static nested class is not discovered on its own). */
  @ExtendWith(BerthExtension.class)
  static class NeedsBerthd {
    @Test
    void wantsBerthd(BerthdProcess berthd) {
      berthd.runtime();
    }
  }
}
