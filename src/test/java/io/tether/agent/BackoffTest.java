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
}
