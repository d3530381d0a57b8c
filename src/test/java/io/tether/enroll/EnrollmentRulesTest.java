package io.tether.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.api.ApiException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long enrollment tokens live and when one may no longer enroll a device. */
class EnrollmentRulesTest {
  @Test
  void lifetimesAreWrittenShortOrAsIso() {
    assertEquals(Duration.ofHours(24), Lifetime.parse(null));
    assertEquals(Duration.ofMinutes(30), Lifetime.parse("30m"));
    assertEquals(Duration.ofHours(12), Lifetime.parse("12h"));
    assertEquals(Duration.ofDays(7), Lifetime.parse("7d"));
    assertEquals(Duration.ofHours(2), Lifetime.parse("PT2H"));
  }

  @Test
  void aLifetimeBeyondThirtyDaysOrUnreadableNamesTheField() {
    for (String bad : new String[] {"31d", "10s", "soon", "-1h"}) {
      ApiException e = assertThrows(ApiException.class, () -> Lifetime.parse(bad), bad);
      assertEquals(400, e.status());
      assertEquals("expiresIn", e.field(), bad);
    }
  }

  private static EnrollmentToken token(int allowed, int used, Instant expires) {
    EnrollmentToken t = new EnrollmentToken();
    t.usesAllowed = allowed;
    t.usesCount = used;
    t.expiresAt = expires;
    return t;
  }

  @Test
  void aTokenEnrollsWhileUnusedUnexpiredAndUnrevoked() {
    Instant now = Instant.now();
    EnrollmentToken t = token(2, 1, now.plusSeconds(60));
    assertNull(t.refusal(now));
    assertEquals("active", t.state(now));
  }

  @Test
  void aUsedUpTokenSaysHowOftenItWasUsed() {
    Instant now = Instant.now();
    EnrollmentToken t = token(2, 2, now.plusSeconds(60));
    assertTrue(t.refusal(now).contains("used its 2 time(s)"), t.refusal(now));
    assertEquals("used-up", t.state(now));
  }

  @Test
  void anExpiredTokenSaysWhen() {
    Instant now = Instant.now();
    EnrollmentToken t = token(2, 0, now);
    assertTrue(t.refusal(now).startsWith("the enrollment token expired at "), t.refusal(now));
    assertEquals("expired", t.state(now));
  }

  @Test
  void revocationWinsOverEveryOtherState() {
    Instant now = Instant.now();
    EnrollmentToken t = token(1, 1, now.minusSeconds(1));
    t.revokedAt = now;
    assertEquals("the enrollment token was revoked", t.refusal(now));
    assertEquals("revoked", t.state(now));
  }
}
