package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The version handshake's words: who must upgrade. */
class ProtocolVersionTest {
  @Test
  void speaksVersionOneAsTetherV1() {
    assertEquals(1, ProtocolVersion.CURRENT);
    assertEquals("tether.v1", ProtocolVersion.SUBPROTOCOL);
  }

  @Test
  void aNewerAgentIsToldToUpgradeThePortal() {
    assertEquals("agent speaks v2, portal v1: upgrade the portal", ProtocolVersion.mismatch(2));
  }

  @Test
  void anOlderAgentIsToldToUpgradeItself() {
    assertEquals("agent speaks v0, portal v1: upgrade the agent", ProtocolVersion.mismatch(0));
  }

  @Test
  void fitsAWebSocketCloseReason() {
    // a close frame's reason is at most 123 bytes
    assertEquals(true, ProtocolVersion.mismatch(65_535).length() <= 123);
  }
}
