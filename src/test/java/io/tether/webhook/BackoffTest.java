package io.tether.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final List<Duration> SCHEDULE =
      List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30));

  @Test
  void eachFailedAttemptWaitsItsStepOfTheSchedule() {
    Backoff exact = new Backoff(SCHEDULE, () -> 0.5); // 0.5: no jitter
    assertEquals(Optional.of(Duration.ofMinutes(1)), exact.next(1, Optional.empty()));
    assertEquals(Optional.of(Duration.ofMinutes(5)), exact.next(2, Optional.empty()));
    assertEquals(Optional.of(Duration.ofMinutes(30)), exact.next(3, Optional.empty()));
  }

  @Test
  void afterTheLastStepTheDeliveryHasFailed() {
    assertEquals(Optional.empty(), new Backoff(SCHEDULE, () -> 0.5).next(4, Optional.empty()));
  }

  @Test
  void jitterStaysWithinTwentyPercent() {
    Duration low = new Backoff(SCHEDULE, () -> 0.0).next(2, Optional.empty()).orElseThrow();
    Duration high = new Backoff(SCHEDULE, () -> 0.999999).next(2, Optional.empty()).orElseThrow();
    assertEquals(Duration.ofMinutes(4), low);
    assertTrue(
        high.compareTo(Duration.ofMinutes(6)) <= 0 && high.toSeconds() >= 359, high::toString);
  }

  @Test
  void retryAfterWinsOverTheScheduleButIsCappedAtADay() {
    Backoff b = new Backoff(SCHEDULE, () -> 0.5);
    assertEquals(Optional.of(Duration.ofSeconds(7)), b.next(1, Optional.of(Duration.ofSeconds(7))));
    assertEquals(Optional.of(Duration.ofDays(1)), b.next(1, Optional.of(Duration.ofDays(30))));
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    assertEquals(Optional.of(Duration.ofSeconds(120)), HttpPost.retryAfter("120"));
    assertEquals(Optional.of(Duration.ZERO), HttpPost.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
    assertEquals(Optional.empty(), HttpPost.retryAfter("soon"));
  }
}
