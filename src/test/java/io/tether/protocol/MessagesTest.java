package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The small payloads: CREDIT, PING/PONG nonces, TARGET_STATUS, and the empty/non-empty rules. */
class MessagesTest {
  @Test
  void creditRoundTrips() throws Exception {
    for (long bytes : new long[] {1, 131_072, 0xffffffffL}) {
      assertEquals(bytes, Messages.credit(Messages.credit(bytes)));
    }
  }

  @Test
  void rejectsZeroCredit() {
    byte[] payload = Messages.credit(0);
    assertThrows(ProtocolException.class, () -> Messages.credit(payload));
  }

  @Test
  void rejectsCreditOfTheWrongLength() {
    assertThrows(ProtocolException.class, () -> Messages.credit(Hex.bytes("000200")));
    assertThrows(ProtocolException.class, () -> Messages.credit(Hex.bytes("0002000000")));
  }

  @Test
  void nonceRoundTrips() throws Exception {
    for (long n : new long[] {0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, 0x0123456789abcdefL}) {
      assertEquals(n, Messages.nonce(Messages.nonce(n)));
    }
  }

  @Test
  void rejectsNonceOfTheWrongLength() {
    byte[] nonce = Messages.nonce(1);
    assertThrows(ProtocolException.class, () -> Messages.nonce(Arrays.copyOf(nonce, 7)));
    assertThrows(ProtocolException.class, () -> Messages.nonce(Arrays.copyOf(nonce, 9)));
  }

  @Test
  void targetStatusRoundTripsEveryStatus() throws Exception {
    String[] labels = {"ok", "missing", "error"};
    for (int status = Messages.STATUS_OK; status <= Messages.STATUS_ERROR; status++) {
      Messages.TargetStatus s = new Messages.TargetStatus("console", status, "detail " + status);
      Messages.TargetStatus back = Messages.targetStatus(Messages.targetStatus(s));
      assertEquals(s, back);
      assertEquals(labels[status], back.label());
    }
  }

  @Test
  void rejectsUnknownTargetStatus() {
    byte[] payload = Hex.bytes("0002 6473 03 0000");
    assertThrows(ProtocolException.class, () -> Messages.targetStatus(payload));
  }

  @Test
  void rejectsTruncatedTargetStatus() {
    byte[] full = Messages.targetStatus(new Messages.TargetStatus("ds", 0, "fine"));
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThrows(ProtocolException.class, () -> Messages.targetStatus(cut), n + " bytes");
    }
  }

  @Test
  void rejectsPayloadOnOpenedAndEof() {
    assertThrows(
        ProtocolException.class,
        () -> Messages.requireEmpty(Frame.channel(FrameType.OPENED, 1, new byte[1])));
    assertThrows(
        ProtocolException.class,
        () -> Messages.requireEmpty(Frame.channel(FrameType.EOF, 1, new byte[1])));
    assertDoesNotThrow(() -> Messages.requireEmpty(Frame.channel(FrameType.EOF, 1, Frame.EMPTY)));
  }

  @Test
  void rejectsEmptyData() {
    assertThrows(
        ProtocolException.class,
        () -> Messages.requireData(Frame.channel(FrameType.DATA, 1, Frame.EMPTY)));
    assertDoesNotThrow(() -> Messages.requireData(Frame.channel(FrameType.DATA, 1, new byte[1])));
  }

  @Test
  void replacesControlCharactersInATargetStatusDetail() throws Exception {
    byte[] payload =
        Messages.targetStatus(
            new Messages.TargetStatus("console", Messages.STATUS_ERROR, "no\u0000port\r\n"));
    assertEquals("no\ufffdport\ufffd\ufffd", Messages.targetStatus(payload).detail());
  }
}
