package io.tether.protocol;

/**
 * Whether a connection's channels carried interactive traffic lately: DATA of a channel that moves
 * little (a keystroke, its echo, a prompt; {@link SendActivity#quiet}). The receivers on the
 * connection ask it before growing a window on a short round trip: beside interactive traffic a
 * grown window only puts more bulk bytes into the connection's one byte stream ahead of the next
 * keystroke, so windows grow there only where the round trip is long; a channel that has its
 * connection to itself grows on any round trip, up to the same bounds (docs/benchmarks.md, P1 and
 * P3). A local rule: nothing of it crosses the wire.
 *
 * <p>Thread-safe: the agent's and the CLI's channels record from their own threads.
 */
public final class InteractiveTraffic {
  /** Interactive traffic counts this long after its last DATA: a typist's pauses are shorter. */
  public static final long HOLD_NANOS = 1_000_000_000L;

  private static final int NONE = Integer.MIN_VALUE;

  // The last two channels seen interactive, so a channel is never held back by itself.
  private int latest = NONE;
  private long latestAt;
  private int before = NONE;
  private long beforeAt;

  /**
   * Records DATA on {@code channel} at {@code now} (nanoseconds), {@code activity} having counted
   * it: interactive while the channel stays quiet.
   */
  public synchronized void data(int channel, SendActivity activity, long now) {
    if (!activity.quiet(now)) {
      return;
    }
    if (channel != latest) {
      before = latest;
      beforeAt = latestAt;
      latest = channel;
    }
    latestAt = now;
  }

  /** True while a channel other than {@code channel} carried interactive DATA lately. */
  public synchronized boolean besides(int channel, long now) {
    return recent(latest, latestAt, channel, now) || recent(before, beforeAt, channel, now);
  }

  private static boolean recent(int seen, long at, int channel, long now) {
    return seen != NONE && seen != channel && now - at < HOLD_NANOS;
  }
}
