package io.tether.user;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final LoginThrottle throttle =
      new LoginThrottle(Duration.ofMinutes(15), Duration.ofMinutes(15), clock);

  private void fail(int times, String user, String address) {
    for (int i = 0; i < times; i++) {
      assertTrue(throttle.check(user, address).isEmpty(), "attempt " + i + " was throttled");
      throttle.failed(user, address);
      clock.now = clock.now.plusSeconds(3); // stay under the per-address rate
    }
  }

  @Test
  void tenFailuresLockThatAccountFromThatAddress() {
    fail(10, "alice", "203.0.113.1");
    assertTrue(throttle.check("alice", "203.0.113.1").orElseThrow().lockedPair());
  }

  @Test
  void lockDoesNotReachOtherAddresses() {
    fail(10, "alice", "203.0.113.1");
    assertTrue(throttle.check("alice", "198.51.100.1").isEmpty());
  }

  @Test
  void lockReleasesAfterItsDuration() {
    fail(10, "alice", "203.0.113.1");
    clock.now = clock.now.plus(Duration.ofMinutes(15)).plusSeconds(1);
    assertTrue(throttle.check("alice", "203.0.113.1").isEmpty());
  }

  @Test
  void failuresOutsideTheWindowDoNotCount() {
    fail(9, "alice", "203.0.113.1");
    clock.now = clock.now.plus(Duration.ofMinutes(16));
    fail(1, "alice", "203.0.113.1");
    assertTrue(throttle.check("alice", "203.0.113.1").isEmpty());
  }

  @Test
  void oneAddressIsRateLimitedAcrossAccounts() {
    for (int i = 0; i < LoginThrottle.ATTEMPTS_PER_ADDRESS_PER_MINUTE; i++) {
      assertTrue(throttle.check("user" + i, "203.0.113.9").isEmpty());
    }
    assertFalse(throttle.check("someone-else", "203.0.113.9").orElseThrow().lockedPair());
  }

  @Test
  void successClearsFailures() {
    fail(9, "alice", "203.0.113.1");
    throttle.succeeded("alice", "203.0.113.1");
    fail(9, "alice", "203.0.113.1");
    assertTrue(throttle.check("alice", "203.0.113.1").isEmpty());
  }
}
