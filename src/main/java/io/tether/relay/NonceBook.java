package io.tether.relay;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The nonces of assertions this node accepted, each kept until its assertion could no longer be
 * accepted anyway: a replay within that time is recognised, and nothing is kept longer.
 */
final class NonceBook {
  /**
   * Nonces remembered at once. At the 30 s a nonce is kept at most, this admits over 3,000 relayed
   * opens a second before a new one is refused as busy rather than a nonce forgotten early.
   */
  static final int MAX_NONCES = 100_000;

  private final Map<String, Long> until = new HashMap<>();

  enum Outcome {
    FRESH,
    REPLAYED,
    FULL
  }

  /** Records {@code nonce} until {@code forgetAtMillis} unless it is already there. */
  synchronized Outcome record(String nonce, long forgetAtMillis, long nowMillis) {
    Long known = until.get(nonce);
    if (known != null && known > nowMillis) {
      return Outcome.REPLAYED;
    }
    if (until.size() >= MAX_NONCES) {
      forgetExpired(nowMillis);
      if (until.size() >= MAX_NONCES) {
        return Outcome.FULL;
      }
    }
    until.put(nonce, forgetAtMillis);
    return Outcome.FRESH;
  }

  synchronized int size() {
    return until.size();
  }

  private void forgetExpired(long nowMillis) {
    for (Iterator<Long> it = until.values().iterator(); it.hasNext(); ) {
      if (it.next() <= nowMillis) {
        it.remove();
      }
    }
  }
}
