package io.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delaysStayWithinTheDoublingCeilingUpToTheMaximum() {
    Backoff backoff = new Backoff(new SplittableRandom(1));
    long ceiling = Backoff.INITIAL.toMillis();
    for (int i = 0; i < 20; i++) {
      Duration delay = backoff.next();
      assertTrue(delay.toMillis() <= ceiling, "attempt " + i + ": " + delay + " > " + ceiling);
      ceiling = Math.min(ceiling * 2, Backoff.MAX.toMillis());
    }
    assertEquals(Backoff.MAX, backoff.ceiling());
  }

  @Test
  void fullJitterSpreadsDelaysAcrossTheRange() {
    Backoff backoff = new Backoff(new SplittableRandom(7));
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 200; i++) {
      long d = backoff.next().toMillis();
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertTrue(min < 10_000 && max > 50_000, "delays not spread: " + min + ".." + max);
  }

  @Test
  void resetsOnlyAfterAStableConnection() {
    Backoff backoff = new Backoff(new SplittableRandom(3));
    for (int i = 0; i < 6; i++) {
      backoff.next();
    }
    backoff.connectionEnded(Duration.ofSeconds(5));
    assertEquals(Backoff.MAX, backoff.ceiling(), "a short connection must not reset the backoff");
    backoff.connectionEnded(Backoff.STABLE_AFTER);
    assertEquals(Backoff.INITIAL, backoff.ceiling());
  }

  @Test
  void afterAHealthyConnectionDropsWaitsStayUnderFifteenSecondsForTwoMinutesThenGrowAgain() {
    Backoff backoff = new Backoff(new SplittableRandom(5));
    backoff.connectionEnded(Backoff.STABLE_AFTER);
    Duration waited = Duration.ZERO;
    long longest = 0;
    while (waited.compareTo(Backoff.AFTER_DROP) < 0) {
      Duration delay = backoff.next();
      longest = Math.max(longest, delay.toMillis());
      waited = waited.plus(delay);
    }
    assertTrue(
        longest <= Backoff.AFTER_DROP_MAX.toMillis(),
        "a wait of " + longest + " ms within two minutes of a drop");
    long later = 0;
    for (int i = 0; i < 50; i++) {
      later = Math.max(later, backoff.next().toMillis());
    }
    assertTrue(
        later > Backoff.AFTER_DROP_MAX.toMillis(),
        "after the window the usual ceiling applies again, longest " + later + " ms");
  }

  @Test
  void aColdStartThatCannotConnectBacksOffAsUsual() {
    Backoff backoff = new Backoff(new SplittableRandom(9));
    long longest = 0;
    for (int i = 0; i < 40; i++) {
      longest = Math.max(longest, backoff.next().toMillis());
    }
    assertTrue(longest > Backoff.AFTER_DROP_MAX.toMillis(), "longest " + longest + " ms");
  }
}
