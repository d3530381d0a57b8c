package io.tether.session;

import java.util.concurrent.TimeUnit;

/**
 * Refusal notices of one participant ({@code input-refused}, {@code error}): at most one a second
 * reaches the socket, and a client refused more than {@link SessionLimits#MAX_REFUSALS_PER_SECOND}
 * times within a second is flooding. Called from the hub's and the socket's contexts.
 */
final class RefusalThrottle {
  /** What to do with one refusal notice. */
  enum Verdict {
    SEND,
    DROP,
    FLOOD
  }

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private long windowStart;
  private long lastSent;
  private boolean sentAny;
  private int inWindow;

  synchronized Verdict offer(long nanos) {
    if (inWindow == 0 || nanos - windowStart >= SECOND) {
      windowStart = nanos;
      inWindow = 0;
    }
    inWindow++;
    if (inWindow > SessionLimits.MAX_REFUSALS_PER_SECOND) {
      return Verdict.FLOOD;
    }
    if (sentAny && nanos - lastSent < SECOND) {
      return Verdict.DROP;
    }
    sentAny = true;
    lastSent = nanos;
    return Verdict.SEND;
  }
}
