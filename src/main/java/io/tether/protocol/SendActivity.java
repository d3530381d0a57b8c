package io.tether.protocol;

/**
 * How much a channel sent lately, as a byte count that halves every {@link #HALF_LIFE_NANOS}: a
 * channel under {@link #QUIET_BYTES} is quiet (keystrokes, echoes, prompts) and goes ahead of
 * channels with a backlog; one that keeps sending (a bulk transfer, even one a terminal started)
 * rises above it within a slice or two and takes its turn with the others.
 */
public final class SendActivity {
  /** How fast what a channel sent is forgotten. */
  static final long HALF_LIFE_NANOS = 100_000_000L;

  /**
   * Below this a channel is quiet: one slice. A channel stays quiet only while it moves less than
   * about 110 KB/s (16 KiB × ln 2 per half-life); a terminal's echo and prompts move far less.
   */
  public static final int QUIET_BYTES = ProtocolLimits.DATA_SLICE;

  private double bytes;
  private long at;

  /** Records {@code n} bytes sent at {@code now} (nanoseconds). */
  public void sent(int n, long now) {
    bytes = decayed(now) + n;
    at = now;
  }

  /** True while the channel sent less than {@link #QUIET_BYTES} lately. */
  public boolean quiet(long now) {
    return decayed(now) < QUIET_BYTES;
  }

  private double decayed(long now) {
    if (bytes == 0) {
      return 0;
    }
    long elapsed = Math.max(0, now - at);
    return bytes * Math.pow(0.5, (double) elapsed / HALF_LIFE_NANOS);
  }
}
