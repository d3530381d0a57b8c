package io.tether.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: the schedule's wait for the attempt that failed, ±20 %
 * jitter (so receivers that come back are not hit by every portal at one instant), or what the
 * receiver asked for with {@code Retry-After}, capped at {@link #RETRY_AFTER_MAX}. Empty once the
 * schedule is used up: the delivery has failed.
 */
public record Backoff(List<Duration> schedule, DoubleSupplier random) {
  /** A receiver cannot park a delivery for longer than the whole default schedule lasts. */
  static final Duration RETRY_AFTER_MAX = Duration.ofDays(1);

  static final double JITTER = 0.2;

  /** {@code failedAttempts}: how many attempts failed so far (1 after the first). */
  public Optional<Duration> next(int failedAttempts, Optional<Duration> retryAfter) {
    if (failedAttempts < 1 || failedAttempts > schedule.size()) {
      return Optional.empty();
    }
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get();
      return Optional.of(asked.compareTo(RETRY_AFTER_MAX) > 0 ? RETRY_AFTER_MAX : asked);
    }
    Duration base = schedule.get(failedAttempts - 1);
    double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
    return Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
  }
}
