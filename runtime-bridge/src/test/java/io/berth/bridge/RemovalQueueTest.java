package io.berth.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.os.Linux;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RemovalQueueTest {
  private final Linux linux = Linux.load();

  @Test
  void waitersSeeTheCleanupDone() {
    try (RemovalQueue q = new RemovalQueue(linux)) {
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch release = new CountDownLatch(1);
      q.submit("c1", () -> {
        release.await();
        runs.incrementAndGet();
      });
      assertFalse(q.await("c1", Duration.ofMillis(50)), "still running");
      assertFalse(q.awaitAll(Duration.ofMillis(50)));
      release.countDown();
      assertTrue(q.awaitAll(Duration.ofSeconds(10)));
      assertEquals(1, runs.get());
      assertTrue(q.await("c1", Duration.ZERO), "nothing pending any more");
    }
  }

  @Test
  void aFailedCleanupIsRetriedAndWaitersDoNotWaitForTheRetries() throws Exception {
    try (RemovalQueue q = new RemovalQueue(linux, List.of(Duration.ofMillis(100), Duration.ofMillis(100)))) {
      AtomicInteger attempts = new AtomicInteger();
      CountDownLatch succeeded = new CountDownLatch(1);
      q.submit("c2", () -> {
        if (attempts.incrementAndGet() < 3) {
          throw new IOException("umount: target is busy");
        }
        succeeded.countDown();
      });
      assertTrue(q.awaitAll(Duration.ofSeconds(10)), "the first attempt ended");
      assertTrue(succeeded.await(10, TimeUnit.SECONDS), "the third attempt succeeded");
      assertEquals(3, attempts.get());
    }
  }

  @Test
  void retriesStopAfterTheLastDelay() throws Exception {
    try (RemovalQueue q = new RemovalQueue(linux, List.of(Duration.ofMillis(50)))) {
      AtomicInteger attempts = new AtomicInteger();
      q.submit("c3", () -> {
        attempts.incrementAndGet();
        throw new IOException("still busy");
      });
      Thread.sleep(500);
      assertEquals(2, attempts.get(), "one attempt and one retry");
    }
  }

  @Test
  void theWorkerRunsAtALowerPriority() throws Exception {
    try (RemovalQueue q = new RemovalQueue(linux)) {
      AtomicInteger nice = new AtomicInteger(Integer.MIN_VALUE);
      q.submit("c4", () -> {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
        nice.set(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
      });
      assertTrue(q.awaitAll(Duration.ofSeconds(10)));
      assertEquals(RemovalQueue.NICE, nice.get());
    }
  }
}
