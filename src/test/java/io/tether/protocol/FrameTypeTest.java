package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Frame type codes are wire constants; control types are exactly the 0x0_ ones. */
class FrameTypeTest {
  @Test
  void codesAndChannelRulesAreFixed() {
    String table =
        """
        01 HELLO control
        02 WELCOME control
        03 PING control
        04 PONG control
        05 TARGET_STATUS control
        06 UPGRADE control
        07 UPGRADE_FAILED control
        10 OPEN channel
        11 OPENED channel
        12 REFUSED channel
        13 DATA channel
        14 CREDIT channel
        15 EOF channel
        16 CLOSE channel
        17 LINE channel
        """;
    StringBuilder actual = new StringBuilder();
    for (FrameType t : FrameType.values()) {
      actual.append(
          String.format("%02x %s %s%n", t.code(), t, t.control() ? "control" : "channel"));
    }
    assertEquals(table, actual.toString().replace("\r\n", "\n"));
  }

  @Test
  void looksUpEveryCode() throws Exception {
    for (FrameType t : FrameType.values()) {
      assertEquals(t, FrameType.fromCode(t.code()));
    }
  }

  @Test
  void rejectsUnknownFrameType() {
    for (int code : new int[] {-1, 0x00, 0x08, 0x0f, 0x18, 0xff, 0x100}) {
      assertThrows(ProtocolException.class, () -> FrameType.fromCode(code), "code " + code);
    }
  }
}
