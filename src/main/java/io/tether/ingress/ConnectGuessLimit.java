package io.tether.ingress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Limits connect-string guessing per source address, and groups each address's refused connections
 * into bursts that are audited once each with their count. A burst starts with a refusal and lasts
 * one window; an address that sent {@link #FAILURES_TO_BLOCK} failed connect strings within it is
 * refused unread until the window ends.
 */
final class ConnectGuessLimit {
  /**
   * Failed connect strings that block an address: a unit typed in by hand may miss a few times, a
   * guesser needs thousands; five per window caps guessing at that rate.
   */
  static final int FAILURES_TO_BLOCK = 5;

  /** Addresses tracked at once; beyond this every burst ends early (audited, then forgotten). */
  static final int MAX_TRACKED = 10_000;

  /** One address's refusals within one window: audited once, when the window ends. */
  record Burst(
      String address,
      Instant started,
      long deviceId,
      String deviceName,
      String firstReason,
      int failedStrings,
      int refusedBlocked,
      int refusedOther) {
    int refused() {
      return failedStrings + refusedBlocked + refusedOther;
    }

    String describe(Duration window) {
      StringBuilder s =
          new StringBuilder("refused ")
              .append(refused())
              .append(refused() == 1 ? " connection" : " connections")
              .append(" from ")
              .append(address)
              .append(" within ")
              .append(window.toSeconds())
              .append(" s (first: ")
              .append(firstReason)
              .append(")");
      if (failedStrings > 0) {
        s.append("; ").append(failedStrings).append(" failed connect string(s)");
      }
      if (refusedBlocked > 0) {
        s.append("; ")
            .append(refusedBlocked)
            .append(" refused unread while the address was blocked after ")
            .append(FAILURES_TO_BLOCK)
            .append(" failures");
      }
      return s.toString();
    }
  }

  /** An open burst's counts; only touched under the limit's lock. */
  private static final class Counts {
    final String address;
    final Instant started;
    final long deviceId;
    final String deviceName;
    final String firstReason;
    int failedStrings;
    int refusedBlocked;
    int refusedOther;

    Counts(String address, Instant started, long deviceId, String deviceName, String why) {
      this.address = address;
      this.started = started;
      this.deviceId = deviceId;
      this.deviceName = deviceName;
      this.firstReason = why;
    }

    Burst burst() {
      return new Burst(
          address,
          started,
          deviceId,
          deviceName,
          firstReason,
          failedStrings,
          refusedBlocked,
          refusedOther);
    }
  }

  private final Duration window;
  private final Clock clock;
  private final Map<String, Counts> open = new HashMap<>();
  private final List<Burst> ended = new ArrayList<>();

  ConnectGuessLimit(Duration window, Clock clock) {
    this.window = window;
    this.clock = clock;
  }

  Duration window() {
    return window;
  }

  /** Before reading a connect string: true means refuse unread (the refusal is counted). */
  synchronized boolean blocked(String address) {
    Counts c = current(address);
    if (c == null || c.failedStrings < FAILURES_TO_BLOCK) {
      return false;
    }
    c.refusedBlocked++;
    return true;
  }

  /**
   * Counts a refused connection; {@code failedString}: it sent a wrong connect string (or none in
   * time). Answers true when this refusal started a burst: its end is then due in one window.
   */
  synchronized boolean refused(
      String address, long deviceId, String deviceName, String why, boolean failedString) {
    Counts c = current(address);
    boolean started = c == null;
    if (started) {
      if (open.size() >= MAX_TRACKED) {
        open.values().forEach(o -> ended.add(o.burst()));
        open.clear();
      }
      c = new Counts(address, clock.instant(), deviceId, deviceName, why);
      open.put(address, c);
    }
    if (failedString) {
      c.failedStrings++;
    } else {
      c.refusedOther++;
    }
    return started;
  }

  /** Bursts whose window has passed (or that were cut short): each is audited once. */
  synchronized List<Burst> takeEnded() {
    Instant now = clock.instant();
    open.values().removeIf(c -> over(c, now) && ended.add(c.burst()));
    List<Burst> result = List.copyOf(ended);
    ended.clear();
    return result;
  }

  /** On shutdown: every burst, ended or not, so that none goes unaudited. */
  synchronized List<Burst> takeAll() {
    open.values().forEach(c -> ended.add(c.burst()));
    open.clear();
    return takeEnded();
  }

  /** The address's open burst; one whose window has passed ends here. */
  private Counts current(String address) {
    Counts c = open.get(address);
    if (c != null && over(c, clock.instant())) {
      open.remove(address);
      ended.add(c.burst());
      return null;
    }
    return c;
  }

  private boolean over(Counts c, Instant now) {
    return !now.isBefore(c.started.plus(window));
  }
}
