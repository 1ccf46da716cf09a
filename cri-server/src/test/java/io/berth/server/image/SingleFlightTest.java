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
    List<Integer> results = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread owner = new Thread(() -> results.add(call(flight, () -> {
      runs.incrementAndGet();
      started.countDown();
      release.await();
      return 42;
    })));
    owner.start();
    started.await();
    List<Thread> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread t = new Thread(() -> results.add(call(flight, () -> {
        runs.incrementAndGet();
        return -1;
      })));
      t.start();
      waiters.add(t);
    }
    for (Thread t : waiters) {
      while (t.getState() != Thread.State.WAITING) { // parked on the owner's result
        Thread.sleep(1);
      }
    }
    release.countDown();
    owner.join();
    for (Thread t : waiters) {
      t.join();
    }
    assertEquals(List.of(42, 42, 42, 42), results);
    assertEquals(1, runs.get());
  }

  private static Integer call(SingleFlight<String, Integer> flight, java.util.concurrent.Callable<Integer> work) {
    try {
      return flight.run("k", work);
    } catch (Exception e) {
      throw new AssertionError(e);
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
