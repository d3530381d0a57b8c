package io.tether.relay;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The audience's rules for an assertion, apart from the MAC: meant for this node and its current
 * epoch, not expired and not issued for longer than allowed (clocks may differ by {@link #SKEW}),
 * and never seen before.
 */
final class RelayCheck {
  /** The longest an assertion may be valid: it opens one socket, right after it is made. */
  static final Duration MAX_LIFETIME = Duration.ofSeconds(30);

  /** Node clocks may differ this much (NTP is required: docs/cluster.md). */
  static final Duration SKEW = Duration.ofSeconds(5);

  private final String nodeId;
  private final Supplier<Optional<Long>> epoch;
  private final NonceBook nonces = new NonceBook();

  RelayCheck(String nodeId, Supplier<Optional<Long>> epoch) {
    this.nodeId = nodeId;
    this.epoch = epoch;
  }

  /** Why an assertion is refused: the HTTP status and the reason logged and audited. */
  record Refusal(int status, String reason) {}

  Optional<Refusal> check(RelayAssertion a, long nowMillis) {
    if (!nodeId.equals(a.audience())) {
      return refuse(403, "wrong-audience: meant for node " + a.audience());
    }
    Optional<Long> current = epoch.get();
    if (current.isEmpty()) {
      return refuse(503, "not-serving: this node is rejoining the cluster");
    }
    if (current.get() != a.audienceEpoch()) {
      return refuse(
          403,
          "old-epoch: made for epoch " + a.audienceEpoch() + ", this node is at " + current.get());
    }
    if (a.expiresAtMillis() < nowMillis - SKEW.toMillis()) {
      return refuse(401, "expired");
    }
    if (a.expiresAtMillis() > nowMillis + MAX_LIFETIME.toMillis() + SKEW.toMillis()) {
      return refuse(401, "too-long: valid for more than " + MAX_LIFETIME.toSeconds() + " s");
    }
    return switch (nonces.record(a.nonce(), a.expiresAtMillis() + SKEW.toMillis(), nowMillis)) {
      case FRESH -> Optional.empty();
      case REPLAYED -> refuse(401, "replayed");
      case FULL -> refuse(503, "busy: too many relayed opens at once");
    };
  }

  private static Optional<Refusal> refuse(int status, String reason) {
    return Optional.of(new Refusal(status, reason));
  }
}
