package io.tether.protocol;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The receiving side of one channel direction: data received but not yet delivered downstream never
 * exceeds the window (a peer that sends beyond its credit breaks the protocol), and credit is
 * granted back in batches: once at least half a window has been delivered, or as soon as everything
 * received has been delivered. The second rule matters where credit is passed on end to end (the
 * portal between an agent and a CLI releases a device's bytes only when the CLI grants for all of
 * them): without it, two half-window thresholds in a row can each wait for the other.
 *
 * <p>A {@linkplain #growing growing} window starts at its base and doubles, up to a maximum and as
 * far as a shared {@link WindowAllowance} lets it, while {@link WindowTuner} finds the round trip
 * rather than the consumer limiting the channel (on a short round trip only while its connection
 * carries nothing interactive); it goes back to its base once the consumer stalls, or once
 * interactive traffic appears beside a window grown on a short round trip. Growing only grants more
 * credit (v1 senders accept credit beyond the initial window); shrinking withholds credit until
 * what is outstanding fits the smaller window.
 */
public final class ReceiveWindow {
  private final long base;
  private final long max;
  private final WindowAllowance allowance;
  private final WindowTuner tuner;
  private final LongSupplier clock;
  private long window;
  private long limit;
  private long received;
  private long delivered;
  private long grantedForDelivered;
  private boolean released;
  private long largest;

  /** A window that stays at {@code window} bytes. */
  public ReceiveWindow(long window) {
    this(window, window, null, null, null);
  }

  private ReceiveWindow(
      long base,
      long max,
      WindowAllowance allowance,
      LongSupplier clock,
      BooleanSupplier shortRoundTripGrows) {
    this.base = base;
    this.max = max;
    this.allowance = allowance;
    this.clock = clock;
    this.tuner = clock == null ? null : new WindowTuner(clock.getAsLong(), shortRoundTripGrows);
    this.window = base;
    this.limit = base;
    this.largest = base;
  }

  /**
   * A window that starts at {@code base} and may grow to {@code max}, its extra bytes taken from
   * {@code allowance}; {@code clock} gives nanoseconds ({@code System::nanoTime}). It grows on long
   * round trips only. Call {@link #release()} when the channel ends.
   */
  public static ReceiveWindow growing(
      long base, long max, WindowAllowance allowance, LongSupplier clock) {
    return new ReceiveWindow(base, Math.max(base, max), allowance, clock, () -> false);
  }

  /**
   * The same, growing on short round trips too while {@code traffic} saw nothing interactive on
   * channels other than {@code channel}.
   */
  public static ReceiveWindow growing(
      long base,
      long max,
      WindowAllowance allowance,
      LongSupplier clock,
      InteractiveTraffic traffic,
      int channel) {
    return new ReceiveWindow(
        base,
        Math.max(base, max),
        allowance,
        clock,
        () -> !traffic.besides(channel, clock.getAsLong()));
  }

  /** Records received DATA; more than the credit granted so far is a protocol error. */
  public void onReceived(int bytes) throws ProtocolException {
    long bufferedBefore = buffered();
    received += bytes;
    if (received > limit) {
      throw new ProtocolException(
          TunnelCloseCode.CREDIT_EXCEEDED,
          "DATA beyond the granted credit (" + (received - limit) + " bytes over)");
    }
    if (tuner != null) {
      tuner.onReceived(clock.getAsLong(), received, bufferedBefore);
    }
  }

  /**
   * Records bytes delivered downstream (the write completed); returns the credit to grant now, or 0
   * while less than half the <em>base</em> window is owed (keeps CREDIT frames rare). Half the
   * base, not of a grown window: where credit is passed on end to end, a receiver that waited for
   * half its grown window would wait for more than the sender before it may send (its window is
   * still the base), and every batch would wait for the idle grant instead (one channel held at ~50
   * MB/s).
   */
  public long onDelivered(long bytes) {
    delivered += bytes;
    if (tuner != null && !released) {
      switch (tuner.onDelivered(clock.getAsLong(), bytes, buffered(), window)) {
        case GROW -> grow();
        case SHRINK -> shrink();
        case NONE -> {}
      }
    }
    long due = due();
    return due >= base / 2 ? grant(due) : 0;
  }

  /**
   * Everything owed, to grant now (0 if nothing is): for a receiver whose consumer has caught up
   * and is idle. Unlike {@link #onDelivered}, it grants every delivered byte even after the window
   * shrank: the sender may be a relay that passes credit on end to end and has nothing to send
   * until this side grants, so withholding here could wait forever.
   */
  public long flush() {
    long owed = owed();
    return owed > 0 ? grant(owed) : 0;
  }

  /** Credit this side could grant now: delivered bytes not yet granted back, and any growth. */
  public long owed() {
    return Math.max(due(), delivered - grantedForDelivered);
  }

  /** What brings the credit back to a full window: less than owed while a shrink is withheld. */
  private long due() {
    return Math.max(0, window + delivered - limit);
  }

  /** Bytes received and not yet delivered: what this side holds for the channel. */
  public long buffered() {
    return received - delivered;
  }

  /** The window now: at most this many bytes are ever outstanding (in flight or held). */
  public long window() {
    return window;
  }

  /** The largest the window has been. */
  public long largestWindow() {
    return largest;
  }

  /** The smallest credit round trip a growing window measured, in ns; -1 if none (or fixed). */
  public long roundTripNanos() {
    return tuner == null ? -1 : tuner.minRttNanos();
  }

  /** The channel ended: growth goes back to the allowance, and the window grows no more. */
  public void release() {
    released = true;
    shrink();
  }

  private long grant(long grant) {
    long limitBefore = limit;
    limit += grant;
    grantedForDelivered = Math.min(delivered, grantedForDelivered + grant);
    if (tuner != null) {
      tuner.onGranted(clock.getAsLong(), limitBefore, received);
    }
    return grant;
  }

  private void grow() {
    long wanted = Math.min(max, window * 2) - window;
    if (wanted > 0) {
      window += allowance.take(wanted);
      largest = Math.max(largest, window);
    }
  }

  private void shrink() {
    if (window > base) {
      allowance.give(window - base);
      window = base;
    }
  }
}
