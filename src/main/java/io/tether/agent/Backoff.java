package io.tether.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from 1 s to 60 s with full jitter (a uniformly random delay up to
 * the current ceiling), so a fleet that lost its portal does not come back in lockstep. The ceiling
 * resets only after a connection has been stable for a minute. For two minutes after such a
 * connection drops, waits stay under 15 s: a portal that goes away is usually restarting, and one
 * that comes back to a storm answers the excess with 503 and Retry-After instead of falling over.
 */
public final class Backoff {
  /** The first retry comes quickly: most drops are blips. */
  public static final Duration INITIAL = Duration.ofSeconds(1);

  /** Never wait longer than this between attempts. */
  public static final Duration MAX = Duration.ofSeconds(60);

  /** A connection that lasted this long was healthy; start again from the initial delay. */
  public static final Duration STABLE_AFTER = Duration.ofSeconds(60);

  /** The longest wait while the last healthy connection dropped less than {@link #AFTER_DROP}. */
  public static final Duration AFTER_DROP_MAX = Duration.ofSeconds(15);

  /** How long (in waits handed out) the shorter ceiling lasts after a healthy connection drops. */
  public static final Duration AFTER_DROP = Duration.ofMinutes(2);

  private final RandomGenerator random;
  private Duration ceiling = INITIAL;
  private Duration sinceDrop = AFTER_DROP; // a cold start is not a drop

  /** The ceiling that applies now: the usual one, or shorter soon after a drop. */
  private long boundMillis() {
    Duration cap = sinceDrop.compareTo(AFTER_DROP) < 0 ? AFTER_DROP_MAX : MAX;
    return Math.max(1, Math.min(ceiling.toMillis(), cap.toMillis()));
  }

  public Backoff(RandomGenerator random) {
    this.random = random;
  }

  /** The delay before the next attempt; doubles the ceiling for the one after. */
  public Duration next() {
    Duration delay = Duration.ofMillis(random.nextLong(boundMillis() + 1));
    sinceDrop = sinceDrop.plus(delay);
    ceiling = ceiling.multipliedBy(2).compareTo(MAX) > 0 ? MAX : ceiling.multipliedBy(2);
    return delay;
  }

  /** Called when a connection ends after having been up for {@code uptime}. */
  public void connectionEnded(Duration uptime) {
    if (uptime.compareTo(STABLE_AFTER) >= 0) {
      ceiling = INITIAL;
      sinceDrop = Duration.ZERO;
    }
  }

  /** A delay the portal asked for (e.g. shutting-down's retry-after), plus up to 50 % jitter. */
  public Duration requested(Duration delay) {
    Duration jittered = delay.plusMillis(random.nextLong(delay.toMillis() / 2 + 1));
    sinceDrop = sinceDrop.plus(jittered);
    return jittered;
  }

  Duration ceiling() {
    return ceiling;
  }
}
