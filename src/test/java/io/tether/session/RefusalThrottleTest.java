package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.session.RefusalThrottle.Verdict;
import org.junit.jupiter.api.Test;

class RefusalThrottleTest {
  private static final long MS = 1_000_000;

  @Test
  void refusalNoticesBeyondABurstAreSentAtMostOncePerSecond() {
    RefusalThrottle t = new RefusalThrottle();
    long t0 = 5_000 * MS;
    for (int i = 0; i < SessionLimits.REFUSAL_NOTICE_BURST; i++) {
      assertEquals(Verdict.SEND, t.offer(t0), "notice " + (i + 1) + " of the burst");
    }
    assertEquals(Verdict.DROP, t.offer(t0 + 10 * MS));
    assertEquals(Verdict.DROP, t.offer(t0 + 999 * MS));
    assertEquals(Verdict.SEND, t.offer(t0 + 1000 * MS), "a second later the next one goes out");
    assertEquals(Verdict.DROP, t.offer(t0 + 1500 * MS));
  }

  @Test
  void moreRefusalsInOneSecondThanAPersonMakesAreAFlood() {
    RefusalThrottle t = new RefusalThrottle();
    long t0 = 5_000 * MS;
    for (int i = 0; i < SessionLimits.MAX_REFUSALS_PER_SECOND; i++) {
      t.offer(t0 + i * MS / 10);
    }
    assertEquals(Verdict.FLOOD, t.offer(t0 + 20 * MS));
  }

  @Test
  void keyHeldDownAsObserverIsNotAFlood() {
    RefusalThrottle t = new RefusalThrottle();
    long t0 = 5_000 * MS;
    for (int i = 0; i < 30 * 60; i++) { // a minute of 30 key repeats a second
      Verdict v = t.offer(t0 + i * (1000 * MS / 30));
      if (v == Verdict.FLOOD) {
        throw new AssertionError("flood after " + i + " repeats");
      }
    }
  }
}
