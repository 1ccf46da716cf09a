package io.berth.server.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  @Test
  void concurrentCallersShareOneRun() throws Exception {
    SingleFlight<String, Integer> flight = new SingleFlight<>();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      results.add(pool.submit(() -> flight.run("k", () -> {
        runs.incrementAndGet();
        started.countDown();
        release.await();
        return 42;
      })));
      started.await();
      for (int i = 0; i < 3; i++) {
        results.add(pool.submit(() -> flight.run("k", () -> {
          runs.incrementAndGet();
          return -1;
        })));
      }
      while (((java.util.concurrent.ThreadPoolExecutor) pool).getActiveCount() < 4) {
        Thread.sleep(5);
      }
      release.countDown();
      for (Future<Integer> f : results) {
        assertEquals(42, f.get());
      }
      assertEquals(1, runs.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theOwnerGetsItsOwnFailureAndTheKeyIsFreedAfterwards() throws Exception {
    SingleFlight<String, Integer> flight = new SingleFlight<>();
    assertThrows(IOException.class, () -> flight.run("k", () -> {
      throw new IOException("no");
    }));
    assertEquals(7, flight.run("k", () -> 7));
    assertEquals(false, flight.isRunning("k"));
  }

  @Test
  void waitersRetryAfterSomeoneElsesFailure() throws Exception {
    SingleFlight<String, Integer> flight = new SingleFlight<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> owner = pool.submit(() -> flight.run("k", () -> {
        started.countDown();
        release.await();
        throw new IOException("the owner's pull was cancelled");
      }));
      started.await();
      Future<Integer> waiter = pool.submit(() -> flight.run("k", () -> 5));
      Thread.sleep(50);
      release.countDown();
      assertThrows(ExecutionException.class, owner::get);
      assertEquals(5, waiter.get());
    } finally {
      pool.shutdownNow();
    }
  }
}
