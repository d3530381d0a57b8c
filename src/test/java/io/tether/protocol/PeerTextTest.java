package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Text a peer supplies: control characters, and close reasons that fit a close frame. */
class PeerTextTest {
  @Test
  void controlCharactersAreC0DelC1AndTheLineSeparators() {
    for (char c : new char[] {0, '\t', '\n', '\r', 0x1b, 0x1f, 0x7f, 0x85, 0x9b, 0x2028, 0x2029}) {
      assertTrue(PeerText.isControl(c), String.format("U+%04X", (int) c));
    }
    for (char c : new char[] {' ', '~', 0xa0, 'é', '–', 0xfffd}) {
      assertFalse(PeerText.isControl(c), String.format("U+%04X", (int) c));
    }
  }

  @Test
  void closeReasonHasControlCharactersReplaced() {
    assertEquals("bye\ufffd[INFO] forged\ufffd", PeerText.closeReason("bye\n[INFO] forged\u0000"));
  }

  @Test
  void closeReasonIsCutTo123BytesOnACharacterBoundary() {
    for (String unit : new String[] {"x", "é", "€", "🔌"}) {
      String reason = PeerText.closeReason(unit.repeat(200));
      int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
      int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes <= ProtocolLimits.MAX_CLOSE_REASON_BYTES, unit + ": " + bytes + " bytes");
      assertTrue(bytes > ProtocolLimits.MAX_CLOSE_REASON_BYTES - unitBytes, unit + ": cut short");
      assertEquals(unit.repeat(bytes / unitBytes), reason, unit + ": cut inside a character");
    }
  }

  @Test
  void closeReasonKeepsShortTextAsItIs() {
    assertEquals("no HELLO within 10 s", PeerText.closeReason("no HELLO within 10 s"));
    assertEquals("", PeerText.closeReason(null));
  }
}
