package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** LINE settings: the 13-byte block, its mask, and the range of each field. */
class LineSettingsTest {
  private static final int ALL = 0xff;

  @Test
  void roundTripsEveryField() throws Exception {
    LineSettings s =
        new LineSettings(
            ALL,
            LineSettings.MAX_BAUD,
            5,
            LineSettings.PARITY_SPACE,
            LineSettings.STOP_ONE_AND_HALF,
            LineSettings.FLOW_XON_XOFF,
            true,
            true,
            LineSettings.MAX_BREAK_MILLIS);
    assertEquals(s, LineSettings.decode(s.encode()));
  }

  @Test
  void encodesToTheDeclaredSize() {
    assertEquals(LineSettings.ENCODED_SIZE, LineSettings.baud(9600).encode().length);
    assertEquals(13, LineSettings.ENCODED_SIZE);
  }

  @Test
  void maskBitsAreFixed() {
    assertEquals(
        "01 02 04 08 10 20 40 80",
        String.format(
            "%02x %02x %02x %02x %02x %02x %02x %02x",
            LineSettings.BAUD,
            LineSettings.DATA_BITS,
            LineSettings.PARITY,
            LineSettings.STOP_BITS,
            LineSettings.FLOW,
            LineSettings.DTR,
            LineSettings.RTS,
            LineSettings.BREAK));
  }

  @Test
  void baudSetsOnlyTheBaudBit() {
    LineSettings s = LineSettings.baud(115_200);
    assertTrue(s.has(LineSettings.BAUD));
    assertFalse(s.has(LineSettings.DATA_BITS) || s.has(LineSettings.DTR));
  }

  @Test
  void ignoresOutOfRangeFieldsWhoseMaskBitIsClear() throws Exception {
    // only DTR set; baud 0, data bits 0, parity 9, stop 0, flow 9 and break 0xffff are ignored
    byte[] payload = Hex.bytes("20 00000000 00 09 00 09 01 00 ffff");
    LineSettings s = LineSettings.decode(payload);
    assertTrue(s.dtr());
    assertEquals(LineSettings.DTR, s.mask());
  }

  @Test
  void rejectsLineSettingsOutOfRangeBaud() {
    assertRejected(LineSettings.BAUD, "00000000 08 00 01 00 00 00 0000");
    assertRejected(LineSettings.BAUD, "003d0901 08 00 01 00 00 00 0000"); // 4_000_001
    assertRejected(LineSettings.BAUD, "ffffffff 08 00 01 00 00 00 0000");
    assertAccepted(LineSettings.BAUD, "003d0900 08 00 01 00 00 00 0000"); // 4_000_000
    assertAccepted(LineSettings.BAUD, "00000001 08 00 01 00 00 00 0000");
  }

  @Test
  void rejectsLineSettingsOutOfRangeDataBits() {
    assertRejected(LineSettings.DATA_BITS, "00002580 04 00 01 00 00 00 0000");
    assertRejected(LineSettings.DATA_BITS, "00002580 09 00 01 00 00 00 0000");
    assertAccepted(LineSettings.DATA_BITS, "00002580 05 00 01 00 00 00 0000");
    assertAccepted(LineSettings.DATA_BITS, "00002580 08 00 01 00 00 00 0000");
  }

  @Test
  void rejectsLineSettingsOutOfRangeParity() {
    assertRejected(LineSettings.PARITY, "00002580 08 05 01 00 00 00 0000");
    assertRejected(LineSettings.PARITY, "00002580 08 ff 01 00 00 00 0000");
    assertAccepted(LineSettings.PARITY, "00002580 08 04 01 00 00 00 0000");
  }

  @Test
  void rejectsLineSettingsOutOfRangeStopBits() {
    assertRejected(LineSettings.STOP_BITS, "00002580 08 00 00 00 00 00 0000");
    assertRejected(LineSettings.STOP_BITS, "00002580 08 00 04 00 00 00 0000");
    assertAccepted(LineSettings.STOP_BITS, "00002580 08 00 03 00 00 00 0000");
  }

  @Test
  void rejectsLineSettingsOutOfRangeFlowControl() {
    assertRejected(LineSettings.FLOW, "00002580 08 00 01 03 00 00 0000");
    assertAccepted(LineSettings.FLOW, "00002580 08 00 01 02 00 00 0000");
  }

  @Test
  void rejectsLineSettingsOutOfRangeBreak() {
    assertRejected(LineSettings.BREAK, "00002580 08 00 01 00 00 00 2711"); // 10_001 ms
    assertAccepted(LineSettings.BREAK, "00002580 08 00 01 00 00 00 2710");
  }

  @Test
  void rejectsLineSettingsOutOfRangeDtrAndRts() {
    // dtr and rts are 0 or 1 even when their mask bit is clear
    assertRejected(0, "00002580 08 00 01 00 02 00 0000");
    assertRejected(0, "00002580 08 00 01 00 00 02 0000");
    assertRejected(LineSettings.DTR, "00002580 08 00 01 00 ff 00 0000");
    assertRejected(LineSettings.RTS, "00002580 08 00 01 00 00 ff 0000");
  }

  @Test
  void rejectsTruncatedLine() {
    byte[] full = LineSettings.baud(9600).encode();
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThrows(ProtocolException.class, () -> LineSettings.decode(cut), n + " bytes");
    }
  }

  @Test
  void rejectsLineWithTrailingBytes() {
    byte[] full = LineSettings.baud(9600).encode();
    assertThrows(
        ProtocolException.class, () -> LineSettings.decode(Arrays.copyOf(full, full.length + 1)));
  }

  private static void assertRejected(int mask, String rest) {
    byte[] payload = Hex.bytes(String.format("%02x", mask) + rest);
    assertThrows(
        ProtocolException.class, () -> LineSettings.decode(payload), "accepted " + Hex.of(payload));
  }

  private static void assertAccepted(int mask, String rest) {
    byte[] payload = Hex.bytes(String.format("%02x", mask) + rest);
    try {
      LineSettings.decode(payload);
    } catch (ProtocolException e) {
      throw new AssertionError("refused " + Hex.of(payload) + ": " + e.getMessage(), e);
    }
  }
}
