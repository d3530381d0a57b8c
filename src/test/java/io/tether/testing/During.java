package io.tether.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The counterpart of {@link Await}: a condition must hold at every check throughout a period. */
public final class During {
  private During() {}

  /**
   * Checks {@code condition} every {@link Await#POLL} for {@code period}; fails when it is false.
   */
  public static void holds(String what, Duration period, BooleanSupplier condition) {
    long end = System.nanoTime() + period.toNanos();
    do {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("no longer true: " + what);
      }
      try {
        Thread.sleep(Await.POLL.toMillis()); // the pace of the checks, not a wait for an event
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while checking " + what, e);
      }
    } while (System.nanoTime() < end);
  }
}
