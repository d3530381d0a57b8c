package io.tether.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from 1 s to 60 s with full jitter (a uniformly random delay up to
 * the current ceiling), so a fleet that lost its portal does not come back in lockstep. The ceiling
 * resets only after a connection has been stable for a minute.
 */
public final class Backoff {
  /** The first retry comes quickly: most drops are blips. */
  public static final Duration INITIAL = Duration.ofSeconds(1);

  /** Never wait longer than this between attempts. */
  public static final Duration MAX = Duration.ofSeconds(60);

  /** A connection that lasted this long was healthy; start again from the initial delay. */
  public static final Duration STABLE_AFTER = Duration.ofSeconds(60);

  private final RandomGenerator random;
  private Duration ceiling = INITIAL;

  public Backoff(RandomGenerator random) {
    this.random = random;
  }

  /** The delay before the next attempt; doubles the ceiling for the one after. */
  public Duration next() {
    long bound = Math.max(1, ceiling.toMillis());
    Duration delay = Duration.ofMillis(random.nextLong(bound + 1));
    ceiling = ceiling.multipliedBy(2).compareTo(MAX) > 0 ? MAX : ceiling.multipliedBy(2);
    return delay;
  }

  /** Called when a connection ends after having been up for {@code uptime}. */
  public void connectionEnded(Duration uptime) {
    if (uptime.compareTo(STABLE_AFTER) >= 0) {
      ceiling = INITIAL;
    }
  }

  /** A delay the portal asked for (e.g. shutting-down's retry-after), plus up to 50 % jitter. */
  public Duration requested(Duration delay) {
    return delay.plusMillis(random.nextLong(delay.toMillis() / 2 + 1));
  }

  Duration ceiling() {
    return ceiling;
  }
}
