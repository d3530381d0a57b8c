package io.tether.eventrule;

import java.time.Duration;
import java.time.Instant;

/**
 * A burst starts when a key (an account, an address) reaches {@code threshold} failures within
 * {@code window}, and lasts while failures keep coming: it ends once the key had none for a whole
 * window. Only a start is announced, so a burst raises one event however long it goes on.
 */
public record BurstRule(int threshold, Duration window) {
  /**
   * {@code auth.login-failed-burst}: 20 failed sign-ins for one account or address in 5 minutes.
   */
  public static final BurstRule LOGIN = new BurstRule(20, Duration.ofMinutes(5));

  /** Whether a burst whose last failure was at {@code lastFailure} (null: none) still runs. */
  public boolean open(Instant lastFailure, Instant now) {
    return lastFailure != null && lastFailure.isAfter(now.minus(window));
  }

  /** Whether this failure, the {@code failuresInWindow}th within the window, starts a burst. */
  public boolean starts(int failuresInWindow, Instant lastBurstFailure, Instant now) {
    return failuresInWindow >= threshold && !open(lastBurstFailure, now);
  }
}
