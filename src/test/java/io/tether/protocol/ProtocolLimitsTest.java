package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The limits fit together: each one is reachable under the ones above it. */
class ProtocolLimitsTest {
  @Test
  void limitsHaveTheirDocumentedValues() {
    assertEquals(12, ProtocolLimits.HEADER_SIZE);
    assertEquals(65_536, ProtocolLimits.MAX_PAYLOAD);
    assertEquals(16_384, ProtocolLimits.DATA_SLICE);
    assertEquals(262_144, ProtocolLimits.DEFAULT_WINDOW);
    assertEquals(16_384, ProtocolLimits.MAX_HELLO_BYTES);
    assertEquals(64, ProtocolLimits.MAX_TARGETS);
    assertEquals(32, ProtocolLimits.MAX_TARGET_NAME);
    assertEquals(1024, ProtocolLimits.MAX_STRING);
    assertEquals(64, ProtocolLimits.MAX_AGENT_VERSION);
    assertEquals(128, ProtocolLimits.MAX_INSTANCE_ID);
    assertEquals(123, ProtocolLimits.MAX_CLOSE_REASON_BYTES);
    assertEquals(256, ProtocolLimits.MAX_CHANNELS_PER_TUNNEL);
    assertEquals(32, ProtocolLimits.MAX_PENDING_OPENS);
    assertEquals(1024, ProtocolLimits.RECENTLY_CLOSED_REMEMBERED);
  }

  @Test
  void limitsFitInsideEachOther() {
    assertTrue(ProtocolLimits.DATA_SLICE <= ProtocolLimits.MAX_PAYLOAD);
    assertTrue(ProtocolLimits.MAX_HELLO_BYTES <= ProtocolLimits.MAX_PAYLOAD);
    assertTrue(ProtocolLimits.DEFAULT_WINDOW >= 2 * ProtocolLimits.DATA_SLICE);
    assertTrue(ProtocolLimits.MAX_PENDING_OPENS <= ProtocolLimits.MAX_CHANNELS_PER_TUNNEL);
    assertTrue(
        ProtocolLimits.RECENTLY_CLOSED_REMEMBERED >= ProtocolLimits.MAX_CHANNELS_PER_TUNNEL,
        "every channel of a full tunnel can close at once and still be remembered");
  }
}
