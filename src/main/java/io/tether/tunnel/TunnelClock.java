package io.tether.tunnel;

import java.time.Instant;

/**
 * The time a tunnel reads: a monotonic clock for liveness (silence is measured with it, so a wall
 * clock step cannot kill or revive a tunnel) and the wall clock for presence rows. Fixed in tests.
 */
interface TunnelClock {
  /** The system clocks. */
  TunnelClock SYSTEM =
      new TunnelClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public Instant now() {
          return Instant.now();
        }
      };

  /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  Instant now();
}
