package io.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A busy portal's 503 Retry-After sets the agent's next wait, within bounds. */
class RetryAfterTest {
  @Test
  void theAgentWaitsTheSecondsABusyPortalAsksFor() {
    assertEquals(Duration.ofSeconds(2), Agent.retryAfter(Optional.of("2")));
    assertEquals(Duration.ofSeconds(30), Agent.retryAfter(Optional.of(" 30 ")));
  }

  @Test
  void aMissingOrUnreadableRetryAfterMeansOneSecond() {
    assertEquals(Duration.ofSeconds(1), Agent.retryAfter(Optional.empty()));
    assertEquals(
        Duration.ofSeconds(1), Agent.retryAfter(Optional.of("Wed, 21 Oct 2026 07:28:00 GMT")));
  }

  @Test
  void aRetryAfterIsBoundedToFiveMinutesAndAtLeastOneSecond() {
    assertEquals(Agent.MAX_RETRY_AFTER, Agent.retryAfter(Optional.of("86400")));
    assertEquals(Duration.ofSeconds(1), Agent.retryAfter(Optional.of("0")));
  }
}
