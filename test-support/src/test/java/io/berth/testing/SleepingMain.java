package io.berth.testing;

/**
 * A main class that prints its arguments and then waits without serving anything: lets the tests
 * check BerthdProcess's launch, log capture and timeout handling without berthd on the class path.
 */
public final class SleepingMain {
  private SleepingMain() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("sleeping main started with " + String.join(" ", args));
    System.err.println("this line went to stderr");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
