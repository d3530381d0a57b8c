package io.tether.session;

import java.util.concurrent.TimeUnit;

/**
 * Refusal notices of one participant ({@code input-refused}, {@code error}): a burst of {@link
 * SessionLimits#REFUSAL_NOTICE_BURST}, then at most one a second reaches the socket (a token bucket
 * refilled by one a second), and a client refused more than {@link
 * SessionLimits#MAX_REFUSALS_PER_SECOND} times within a second is flooding. Called from the hub's
 * and the socket's contexts.
 */
final class RefusalThrottle {
  /** What to do with one refusal notice. */
  enum Verdict {
    SEND,
    DROP,
    FLOOD
  }

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private static final long FULL = SessionLimits.REFUSAL_NOTICE_BURST * SECOND;

  private long windowStart;
  private int inWindow;

  /** Notices that may go out now, in nanoseconds of refill (one notice = one second). */
  private long allowance = FULL;

  private long lastRefill;
  private boolean started;

  synchronized Verdict offer(long nanos) {
    if (inWindow == 0 || nanos - windowStart >= SECOND) {
      windowStart = nanos;
      inWindow = 0;
    }
    inWindow++;
    if (inWindow > SessionLimits.MAX_REFUSALS_PER_SECOND) {
      return Verdict.FLOOD;
    }
    if (started) {
      allowance = Math.min(FULL, allowance + Math.max(0, nanos - lastRefill));
    }
    started = true;
    lastRefill = nanos;
    if (allowance < SECOND) {
      return Verdict.DROP;
    }
    allowance -= SECOND;
    return Verdict.SEND;
  }
}
