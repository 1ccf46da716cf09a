package io.berth.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RemovalQueueTest {
  private static final List<Duration> HOURS = List.of(Duration.ofHours(1));

  @Test
  void waitersSeeTheCleanupDoneAndOnCleanRunsAfterIt() throws Exception {
    try (RemovalQueue q = new RemovalQueue(HOURS)) {
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean clean = new AtomicBoolean();
      q.submit("c1", "pod-a", release::await, () -> clean.set(true));
      assertFalse(q.await("c1", Duration.ofMillis(50)), "still running");
      assertEquals(1, q.awaitClean("pod-a", Duration.ofMillis(50)).size());
      assertTrue(q.awaitClean("pod-b", Duration.ZERO).isEmpty(), "another pod's removals are not waited for");
      release.countDown();
      assertEquals(List.of(), q.awaitClean("pod-a", Duration.ofSeconds(10)));
      assertTrue(clean.get());
      assertTrue(q.await("c1", Duration.ZERO), "nothing pending any more");
    }
  }

  @Test
  void aFailingCleanupStaysPendingAndEachWaitTriesItAgain() {
    try (RemovalQueue q = new RemovalQueue(HOURS)) {
      AtomicInteger attempts = new AtomicInteger();
      AtomicBoolean busy = new AtomicBoolean(true);
      AtomicBoolean clean = new AtomicBoolean();
      q.submit("c2", "pod-a", () -> {
        attempts.incrementAndGet();
        if (busy.get()) {
          throw new IOException("umount: target is busy");
        }
      }, () -> clean.set(true));
      List<String> unclean = q.awaitClean("pod-a", Duration.ofSeconds(10));
      assertEquals(1, unclean.size());
      assertTrue(unclean.get(0).contains("c2") && unclean.get(0).contains("target is busy"), unclean.toString());
      assertFalse(clean.get());
      assertEquals(List.of("container c2: umount: target is busy"), q.awaitClean("pod-a", Duration.ofSeconds(10)),
          "still failing, and tried again");
      busy.set(false);
      assertEquals(List.of(), q.awaitClean("pod-a", Duration.ofSeconds(10)), "the next wait's attempt succeeds");
      assertTrue(clean.get());
      assertTrue(attempts.get() >= 3, "attempts: " + attempts.get());
    }
  }

  @Test
  void failedCleanupsAreRetriedOnTheirOwn() throws Exception {
    try (RemovalQueue q = new RemovalQueue(List.of(Duration.ofMillis(50)))) {
      AtomicInteger attempts = new AtomicInteger();
      CountDownLatch clean = new CountDownLatch(1);
      q.submit("c3", "pod-a", () -> {
        if (attempts.incrementAndGet() < 4) {
          throw new IOException("still busy");
        }
      }, clean::countDown);
      assertTrue(clean.await(10, TimeUnit.SECONDS), "the retries (last delay repeating) reached the 4th attempt");
      assertEquals(4, attempts.get());
      Thread.sleep(200);
      assertEquals(4, attempts.get(), "no attempt after success");
    }
  }
}
