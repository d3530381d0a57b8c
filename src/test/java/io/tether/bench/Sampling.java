package io.tether.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline for the benchmarks, where the condition lives in another process. */
final class Sampling {
  /** Between polls of another process's metrics: cheap for it, prompt enough for a figure. */
  static final Duration POLL = Duration.ofMillis(250);

  private Sampling() {}

  /** Polls until {@code condition} holds; false when {@code timeout} passes first. */
  static boolean until(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis()); // the event is in another process: nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }
}
