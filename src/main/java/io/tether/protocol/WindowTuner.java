package io.tether.protocol;

import java.util.function.BooleanSupplier;

/**
 * Decides when a receive window grows or shrinks, from what the receiver sees alone (no frame
 * field, so v1 peers need nothing new). The credit round trip is sampled when a grant reaches a
 * sender that had used all its credit: the first DATA beyond the old limit arrives one round trip
 * after the grant; the smallest sample is kept. A window grows (doubles) when, over a round trip,
 * the consumer took at least half of it: it ends between two and four times what the consumer takes
 * per round trip (as TCP's receive-buffer autotuning aims at twice), so the window, not the
 * consumer, would otherwise limit the channel; a consumer slower than that leaves it where it is.
 * Below {@link #MIN_GROWTH_RTT_NANOS} (loopback, a LAN) a window grows only while its connection
 * carries no interactive traffic ({@link InteractiveTraffic}): there a grown window is more bulk
 * ahead of the next keystroke in the connection's one byte stream, so once such traffic appears the
 * window goes back to its base. A consumer that took nothing for {@link #STALL_NANOS} while bytes
 * waited has stalled: the window goes back to its base.
 */
final class WindowTuner {
  /**
   * Round trips shorter than this grow a window only while nothing interactive shares its
   * connection (loopback, a LAN: 256 KiB / 5 ms ≈ 50 MB/s).
   */
  static final long MIN_GROWTH_RTT_NANOS = 5_000_000L;

  /** A consumer that took nothing for this long while bytes waited for it has stalled. */
  static final long STALL_NANOS = 1_000_000_000L;

  enum Change {
    NONE,
    GROW,
    SHRINK
  }

  private long minRtt = Long.MAX_VALUE;
  private long sampleGrantAt = -1;
  private long sampleBeyond;
  private long roundStart;
  private long roundDelivered;
  private long waitingSince = -1;
  private final BooleanSupplier shortRoundTripGrows;

  /**
   * {@code shortRoundTripGrows} says, when asked, whether a round trip under {@link
   * #MIN_GROWTH_RTT_NANOS} may grow the window now.
   */
  WindowTuner(long now, BooleanSupplier shortRoundTripGrows) {
    this.roundStart = now;
    this.shortRoundTripGrows = shortRoundTripGrows;
  }

  /**
   * A grant went out; {@code limitBefore} was the sender's limit, all used when equal to received.
   */
  void onGranted(long now, long limitBefore, long received) {
    if (sampleGrantAt < 0 && received >= limitBefore) {
      sampleGrantAt = now;
      sampleBeyond = limitBefore;
    }
  }

  /** DATA arrived; {@code bufferedBefore} bytes were waiting for the consumer before it. */
  void onReceived(long now, long received, long bufferedBefore) {
    if (sampleGrantAt >= 0 && received > sampleBeyond) {
      minRtt = Math.min(minRtt, now - sampleGrantAt);
      sampleGrantAt = -1;
    }
    if (bufferedBefore == 0) {
      waitingSince = now;
    }
  }

  /**
   * The consumer took {@code bytes}; {@code bufferedAfter} still wait. Says whether the window
   * should change before credit is granted for them.
   */
  Change onDelivered(long now, long bytes, long bufferedAfter, long window) {
    boolean stalled = waitingSince >= 0 && now - waitingSince >= STALL_NANOS;
    waitingSince = bufferedAfter > 0 ? now : -1;
    if (stalled) {
      restartRound(now);
      return Change.SHRINK;
    }
    if (minRtt == Long.MAX_VALUE) {
      return Change.NONE;
    }
    if (minRtt < MIN_GROWTH_RTT_NANOS && !shortRoundTripGrows.getAsBoolean()) {
      restartRound(now);
      return Change.SHRINK; // nothing if the window is at its base
    }
    roundDelivered += bytes;
    long elapsed = now - roundStart;
    if (elapsed < minRtt) {
      return Change.NONE;
    }
    double perRoundTrip = (double) roundDelivered * minRtt / elapsed;
    restartRound(now);
    return perRoundTrip >= window / 2.0 ? Change.GROW : Change.NONE;
  }

  /** The smallest credit round trip seen, in nanoseconds, or -1 before the first sample. */
  long minRttNanos() {
    return minRtt == Long.MAX_VALUE ? -1 : minRtt;
  }

  private void restartRound(long now) {
    roundStart = now;
    roundDelivered = 0;
  }
}
