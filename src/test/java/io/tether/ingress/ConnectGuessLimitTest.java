package io.tether.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectGuessLimitTest {
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final String GUESSER = "198.51.100.7";

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-12-03T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final ConnectGuessLimit limit = new ConnectGuessLimit(WINDOW, clock);

  /** One connection that sends a wrong connect string, unless the address is blocked first. */
  private boolean guess(String address) {
    if (limit.blocked(address)) {
      return false;
    }
    limit.refused(address, 7, "unit-7", "wrong connect string", true);
    return true;
  }

  @Test
  void anAddressIsBlockedAfterFiveFailedConnectStringsUntilTheWindowPasses() {
    for (int i = 0; i < ConnectGuessLimit.FAILURES_TO_BLOCK; i++) {
      assertTrue(guess(GUESSER), "guess " + (i + 1) + " was not read");
    }
    assertTrue(limit.blocked(GUESSER), "the sixth connection is read");
    clock.now = clock.now.plus(WINDOW).minusSeconds(1);
    assertTrue(limit.blocked(GUESSER), "unblocked before the window passed");
    clock.now = clock.now.plusSeconds(1);
    assertFalse(limit.blocked(GUESSER), "still blocked after the window");
  }

  @Test
  void fewerFailuresThanTheLimitBlockNothing() {
    for (int i = 0; i < ConnectGuessLimit.FAILURES_TO_BLOCK - 1; i++) {
      guess(GUESSER);
    }
    assertFalse(limit.blocked(GUESSER));
  }

  @Test
  void refusalsForOtherReasonsDoNotBlock() {
    for (int i = 0; i < 3 * ConnectGuessLimit.FAILURES_TO_BLOCK; i++) {
      limit.refused(GUESSER, 7, "unit-7", "source address not in the allowlist", false);
    }
    assertFalse(limit.blocked(GUESSER));
  }

  @Test
  void oneAddressBlockedLeavesOthersAlone() {
    for (int i = 0; i < ConnectGuessLimit.FAILURES_TO_BLOCK; i++) {
      guess(GUESSER);
    }
    assertTrue(limit.blocked(GUESSER));
    assertFalse(limit.blocked("198.51.100.8"), "another address is blocked too");
  }

  @Test
  void aBurstIsAuditedOnceWithTheCountOfEveryRefusal() {
    for (int i = 0; i < 40; i++) {
      guess(GUESSER);
    }
    assertEquals(List.of(), limit.takeEnded(), "a burst ended before its window");
    clock.now = clock.now.plus(WINDOW);
    List<ConnectGuessLimit.Burst> ended = limit.takeEnded();
    assertEquals(1, ended.size(), "one burst: " + ended);
    ConnectGuessLimit.Burst burst = ended.get(0);
    assertEquals(40, burst.refused());
    assertEquals(ConnectGuessLimit.FAILURES_TO_BLOCK, burst.failedStrings());
    assertEquals(40 - ConnectGuessLimit.FAILURES_TO_BLOCK, burst.refusedBlocked());
    assertTrue(
        burst.describe(WINDOW).startsWith("refused 40 connections from " + GUESSER),
        burst.describe(WINDOW));
    assertEquals(List.of(), limit.takeEnded(), "a burst was audited twice");
  }

  @Test
  void guessingOnAfterABurstStartsTheNextBurst() {
    assertTrue(limit.refused(GUESSER, 7, "unit-7", "wrong connect string", true), "first");
    assertFalse(limit.refused(GUESSER, 7, "unit-7", "wrong connect string", true), "same burst");
    clock.now = clock.now.plus(WINDOW);
    assertTrue(limit.refused(GUESSER, 7, "unit-7", "wrong connect string", true), "next burst");
    List<ConnectGuessLimit.Burst> ended = limit.takeEnded();
    assertEquals(1, ended.size(), "the first burst ended: " + ended);
    assertEquals(2, ended.get(0).refused());
    assertEquals(1, limit.takeAll().get(0).refused(), "the open burst, on shutdown");
  }
}
