package io.tether.user;

import io.tether.boot.TetherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * Wrong second factors count per account, whatever the address: a code is six digits, so guesses
 * spread over many addresses must meet one limit. {@link #FAILURES_TO_LOCK} within the login
 * lockout window lock the account's second-factor step for the lockout duration (the password step
 * keeps its own rules). Kept in PostgreSQL on every deployment, one node or many, as the pair (user
 * id, {@link #STEP}) of the shared login throttle's table.
 */
@ApplicationScoped
public class SecondFactorThrottle {
  /** Wrong codes within the window that lock the account's second-factor step. */
  public static final int FAILURES_TO_LOCK = 5;

  /** The "address" of the count: not an address, so no password-step pair can share it. */
  static final String STEP = "second-factor";

  @Inject SharedLogins shared;
  @Inject TetherConfig config;

  /** How long the account's second-factor step stays locked, if it is. */
  public Optional<Duration> lockedFor(long userId) {
    return shared.lockedFor(key(userId), STEP);
  }

  /** Counts a wrong code; true when this one locked the step. */
  public boolean failed(long userId) {
    return shared.failed(
        key(userId),
        STEP,
        config.auth().lockoutWindow(),
        FAILURES_TO_LOCK,
        config.auth().lockoutDuration());
  }

  public void succeeded(long userId) {
    shared.succeeded(key(userId), STEP);
  }

  public Duration lockoutDuration() {
    return config.auth().lockoutDuration();
  }

  private static String key(long userId) {
    return "#" + userId;
  }
}
