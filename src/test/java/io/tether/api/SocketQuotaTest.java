package io.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SocketQuotaTest {
  private final SocketQuota quota = new SocketQuota(32);

  @Test
  void refusesTheThirtyThirdSocketOfAKindForOneUser() {
    for (int i = 0; i < 32; i++) {
      assertNotNull(quota.acquire(7, SocketQuota.Kind.TERMINAL), "socket " + (i + 1));
    }
    assertNull(quota.acquire(7, SocketQuota.Kind.TERMINAL), "the 33rd terminal socket");
    assertNotNull(quota.acquire(7, SocketQuota.Kind.EVENTS), "other kinds count on their own");
    assertNotNull(quota.acquire(8, SocketQuota.Kind.TERMINAL), "other users count on their own");
  }

  @Test
  void releasedLeaseFreesItsPlaceOnceOnly() {
    SocketQuota.Lease first = null;
    for (int i = 0; i < 32; i++) {
      SocketQuota.Lease l = quota.acquire(7, SocketQuota.Kind.FLOW);
      first = first == null ? l : first;
    }
    first.release();
    first.release();
    assertEquals(31, quota.held(7, SocketQuota.Kind.FLOW), "a double release counts once");
    assertNotNull(quota.acquire(7, SocketQuota.Kind.FLOW), "the freed place");
    assertNull(quota.acquire(7, SocketQuota.Kind.FLOW), "and no more");
  }

  @Test
  void requireRefusesWith429() {
    for (int i = 0; i < 32; i++) {
      quota.require(7, SocketQuota.Kind.FORWARD);
    }
    ApiException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ApiException.class, () -> quota.require(7, SocketQuota.Kind.FORWARD));
    assertEquals(429, e.status());
  }
}
