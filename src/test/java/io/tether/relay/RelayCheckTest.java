package io.tether.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RelayCheckTest {
  private static final long NOW = 1_000_000;
  private final AtomicReference<Optional<Long>> epoch = new AtomicReference<>(Optional.of(5L));
  private final RelayCheck check = new RelayCheck("node-b", epoch::get);

  private Optional<RelayCheck.Refusal> judge(
      String audience, long epochOf, long expires, String n) {
    return check.check(RelayAssertionTest.sample(audience, epochOf, expires, n), NOW);
  }

  private static void refused(Optional<RelayCheck.Refusal> r, int status, String reason) {
    assertTrue(r.isPresent(), "refused");
    assertEquals(status, r.get().status(), r.get().reason());
    assertTrue(r.get().reason().startsWith(reason), r.get().reason());
  }

  @Test
  void aFreshAssertionForThisNodeAndEpochIsAccepted() {
    assertTrue(judge("node-b", 5, NOW + 10_000, "a").isEmpty());
  }

  @Test
  void anAssertionForAnotherNodeIsRefused() {
    refused(judge("node-c", 5, NOW + 10_000, "a"), 403, "wrong-audience");
  }

  @Test
  void anAssertionForAnEarlierEpochIsRefused() {
    refused(judge("node-b", 4, NOW + 10_000, "a"), 403, "old-epoch");
  }

  @Test
  void nothingIsAcceptedWhileThisNodeRejoins() {
    epoch.set(Optional.empty());
    refused(judge("node-b", 5, NOW + 10_000, "a"), 503, "not-serving");
  }

  @Test
  void anExpiredAssertionIsRefusedBeyondTheClockSkew() {
    assertTrue(judge("node-b", 5, NOW - RelayCheck.SKEW.toMillis() + 1, "a").isEmpty());
    refused(judge("node-b", 5, NOW - RelayCheck.SKEW.toMillis() - 1, "b"), 401, "expired");
  }

  @Test
  void anAssertionValidForLongerThanThirtySecondsIsRefused() {
    long limit = NOW + RelayCheck.MAX_LIFETIME.toMillis() + RelayCheck.SKEW.toMillis();
    assertTrue(judge("node-b", 5, limit, "a").isEmpty());
    refused(judge("node-b", 5, limit + 1, "b"), 401, "too-long");
  }

  @Test
  void aReplayedNonceIsRefused() {
    assertTrue(judge("node-b", 5, NOW + 10_000, "same").isEmpty());
    refused(judge("node-b", 5, NOW + 10_000, "same"), 401, "replayed");
  }

  @Test
  void theNonceBookRefusesWhenFullRatherThanForgetALiveNonce() {
    NonceBook book = new NonceBook();
    for (int i = 0; i < NonceBook.MAX_NONCES; i++) {
      assertEquals(NonceBook.Outcome.FRESH, book.record("n" + i, NOW + 10, NOW));
    }
    assertEquals(NonceBook.Outcome.FULL, book.record("late", NOW + 10, NOW));
    assertEquals(NonceBook.Outcome.FRESH, book.record("later", NOW + 20, NOW + 10));
    assertEquals(1, book.size(), "expired nonces are forgotten once the book is full");
  }
}
