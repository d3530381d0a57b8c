package io.tether.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.api.Problem;
import io.tether.protocol.Reason;
import org.junit.jupiter.api.Test;

/** A channel refused on the device's node reads the same on the node that relayed it. */
class RelayRefusalsTest {
  private static Reason across(Reason refused) {
    Problem p = RelayRefusals.problem(refused);
    return RelayRefusals.reasonOf(p.status(), p.type(), p.detail());
  }

  @Test
  void theDeviceNodesRefusalComesBackAsTheSameReason() {
    for (Reason r :
        new Reason[] {
          new Reason(Reason.TARGET_UNAVAILABLE, "connect 127.0.0.1:9: Connection refused"),
          new Reason(Reason.DEVICE_OFFLINE, "the device is offline"),
          new Reason(Reason.TARGET_BUSY, ""),
          new Reason(Reason.UNKNOWN_TARGET, "no target 'x': has a colon: too")
        }) {
      assertEquals(r, across(r), r.toString());
    }
  }

  @Test
  void aRefusalBeforeTheChannelIsReadFromItsStatus() {
    assertEquals(
        new Reason(Reason.ACCESS_REVOKED, "your access ended"),
        RelayRefusals.reasonOf(403, "about:blank", "your access ended"));
    assertEquals(
        new Reason(Reason.TARGET_BUSY, "too many wait"),
        RelayRefusals.reasonOf(503, null, "too many wait"));
    assertEquals(
        new Reason(Reason.TARGET_UNAVAILABLE, "odd"), RelayRefusals.reasonOf(500, null, "odd"));
  }

  @Test
  void aLabelThisVersionDoesNotKnowIsKeptAsUnknownWithItsWords() {
    Reason r =
        RelayRefusals.reasonOf(
            502, RelayRefusals.TYPE_PREFIX + "target-on-fire", "target-on-fire: smoke");
    assertEquals(0, r.code());
    assertEquals("smoke", r.message());
  }
}
