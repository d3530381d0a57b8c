package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** REFUSED and CLOSE payloads: a reason code and a short human message. */
class ReasonTest {
  @Test
  void roundTrips() throws Exception {
    Reason r = new Reason(Reason.ACCESS_REVOKED, "your access to console was revoked");
    assertEquals(r, Reason.decode(r.encode(), "CLOSE"));
  }

  @Test
  void codesAndLabelsAreFixed() {
    String[] labels = {
      "normal", "unknown-target", "target-busy", "target-unavailable", "io-error",
      "access-revoked", "device-offline", "limit-exceeded", "protocol-error", "shutting-down",
      "peer-closed", "recording-required"
    };
    int[] codes = {
      Reason.NORMAL, Reason.UNKNOWN_TARGET, Reason.TARGET_BUSY, Reason.TARGET_UNAVAILABLE,
      Reason.IO_ERROR, Reason.ACCESS_REVOKED, Reason.DEVICE_OFFLINE, Reason.LIMIT_EXCEEDED,
      Reason.PROTOCOL_ERROR, Reason.SHUTTING_DOWN, Reason.PEER_CLOSED, Reason.RECORDING_REQUIRED
    };
    for (int i = 0; i < codes.length; i++) {
      assertEquals(i + 1, codes[i]);
      assertEquals(labels[i], new Reason(codes[i], "").label());
    }
  }

  @Test
  void toleratesCodesThisVersionDoesNotKnow() throws Exception {
    Reason r = Reason.decode(Hex.bytes("ffff 0002 6f6b"), "CLOSE");
    assertEquals(0xffff, r.code());
    assertEquals("unknown", r.label());
    assertEquals("unknown", new Reason(0, "").label());
    assertEquals("unknown: ok", r.toString());
  }

  @Test
  void cutsLongMessagesTo256Chars() throws Exception {
    Reason r = new Reason(Reason.IO_ERROR, "x".repeat(5000));
    assertEquals(256, Reason.decode(r.encode(), "CLOSE").message().length());
  }

  @Test
  void neverCutsASurrogatePairInHalf() throws Exception {
    String message = "x".repeat(255) + "🔌" + "tail";
    Reason back = Reason.decode(new Reason(Reason.IO_ERROR, message).encode(), "CLOSE");
    assertEquals("x".repeat(255), back.message());
    String text = new String(new Reason(1, message).encode(), StandardCharsets.UTF_8);
    assertTrue(!text.contains("?"), "a lone surrogate was sent as '?'");
  }

  @Test
  void replacesControlCharactersInAReceivedMessage() throws Exception {
    byte[] payload = new Reason(Reason.IO_ERROR, "read\u0000failed\n[ERROR] forged").encode();
    assertEquals("read\ufffdfailed\ufffd[ERROR] forged", Reason.decode(payload, "CLOSE").message());
  }

  @Test
  void rejectsTruncatedReason() {
    byte[] full = new Reason(Reason.NORMAL, "bye").encode();
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThrows(ProtocolException.class, () -> Reason.decode(cut, "CLOSE"), n + " bytes");
    }
  }

  @Test
  void rejectsReasonWithTrailingBytes() {
    byte[] full = new Reason(Reason.NORMAL, "bye").encode();
    ProtocolException e =
        assertThrows(
            ProtocolException.class,
            () -> Reason.decode(Arrays.copyOf(full, full.length + 2), "REFUSED"));
    assertTrue(e.getMessage().startsWith("REFUSED"), e.getMessage());
  }

  @Test
  void rejectsInvalidUtf8() {
    assertThrows(ProtocolException.class, () -> Reason.decode(Hex.bytes("0001 0001 ff"), "CLOSE"));
  }

  @Test
  void rejectsMessageLongerThanMaxString() {
    int n = ProtocolLimits.MAX_STRING + 1;
    byte[] payload = Hex.bytes(String.format("0001 %04x", n) + "61".repeat(n));
    assertThrows(ProtocolException.class, () -> Reason.decode(payload, "CLOSE"));
  }
}
