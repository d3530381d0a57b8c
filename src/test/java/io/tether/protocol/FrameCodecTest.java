package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The frame layer: header layout, the rules on read, and the maximum enforced on write. */
class FrameCodecTest {
  @ParameterizedTest
  @EnumSource(FrameType.class)
  void roundTripsEveryFrameType(FrameType type) throws Exception {
    int channel = type.control() ? 0 : 42;
    for (int size : new int[] {0, 1, 1000, ProtocolLimits.MAX_PAYLOAD}) {
      byte[] payload = new byte[size];
      new SplittableRandom(size).nextBytes(payload);
      byte[] message = FrameCodec.encode(new Frame(type, channel, payload));
      assertEquals(ProtocolLimits.HEADER_SIZE + size, message.length);
      Frame back = FrameCodec.decode(message);
      assertEquals(type, back.type());
      assertEquals(channel, back.channel());
      assertArrayEquals(payload, back.payload(), type + " with " + size + " bytes");
    }
  }

  /** A receiver passing DATA on without a copy reads only the header, checked as decode does. */
  @Test
  void dataChannelReadsADataHeaderAndLeavesEveryOtherTypeToDecode() throws Exception {
    byte[] data = FrameCodec.encode(FrameType.DATA, 42, new byte[300], 0, 300);
    byte[] header = Arrays.copyOf(data, ProtocolLimits.HEADER_SIZE);
    assertEquals(42, FrameCodec.dataChannel(header, data.length));
    byte[] credit = FrameCodec.encode(new Frame(FrameType.CREDIT, 42, new byte[8]));
    assertEquals(
        0,
        FrameCodec.dataChannel(Arrays.copyOf(credit, ProtocolLimits.HEADER_SIZE), credit.length));
  }

  @Test
  void dataChannelRejectsWhatDecodeRejects() {
    byte[] data = FrameCodec.encode(FrameType.DATA, 42, new byte[300], 0, 300);
    byte[] header = Arrays.copyOf(data, ProtocolLimits.HEADER_SIZE);
    ProtocolException length =
        assertThrows(ProtocolException.class, () -> FrameCodec.dataChannel(header, 200));
    assertTrue(length.getMessage().contains("length field says 300"), length.getMessage());
    byte[] empty = FrameCodec.encode(FrameType.DATA, 42, new byte[0], 0, 0);
    ProtocolException none =
        assertThrows(ProtocolException.class, () -> FrameCodec.dataChannel(empty, empty.length));
    assertTrue(none.getMessage().contains("at least one byte"), none.getMessage());
    byte[] flagged = header.clone();
    flagged[1] = 1;
    assertThrows(ProtocolException.class, () -> FrameCodec.dataChannel(flagged, data.length));
    assertThrows(ProtocolException.class, () -> FrameCodec.dataChannel(header, 5));
  }

  @Test
  void encodesASliceOfALargerBuffer() throws Exception {
    byte[] buffer = "xxhixx".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] message = FrameCodec.encode(FrameType.DATA, 1, buffer, 2, 2);
    assertEquals("1300000000000001000000026869", Hex.of(message));
  }

  @Test
  void decodesAFrameInsideALargerBuffer() throws Exception {
    byte[] golden = Hex.bytes("13 00 0000 00000001 00000002 6869");
    byte[] buffer = new byte[golden.length + 10];
    System.arraycopy(golden, 0, buffer, 5, golden.length);
    Frame frame = FrameCodec.decode(buffer, 5, golden.length);
    assertEquals(FrameType.DATA, frame.type());
    assertEquals("6869", Hex.of(frame.payload()));
  }

  @Test
  void acceptsAFrameOfExactlyMaxPayload() throws Exception {
    byte[] message = header(0x13, 0, 0, 1, ProtocolLimits.MAX_PAYLOAD, ProtocolLimits.MAX_PAYLOAD);
    assertEquals(ProtocolLimits.MAX_PAYLOAD, FrameCodec.decode(message).payload().length);
  }

  @Test
  void rejectsFrameLongerThanMaxPayload() {
    byte[] message =
        header(0x13, 0, 0, 1, ProtocolLimits.MAX_PAYLOAD + 1, ProtocolLimits.MAX_PAYLOAD + 1);
    ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(message));
    assertEquals(TunnelCloseCode.FRAME_TOO_LARGE, e.closeCode());
  }

  @Test
  void rejectsLengthFieldNearTheTopOfU32() {
    byte[] message = Hex.bytes("13 00 0000 00000001 ffffffff");
    ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(message));
    assertEquals(TunnelCloseCode.FRAME_TOO_LARGE, e.closeCode());
  }

  @Test
  void rejectsUnknownFrameType() {
    for (int code = 0; code < 256; code++) {
      boolean known = false;
      for (FrameType t : FrameType.values()) {
        known |= t.code() == code;
      }
      if (!known) {
        byte[] message = header(code, 0, 0, 0, 0, 0);
        ProtocolException e =
            assertThrows(
                ProtocolException.class,
                () -> FrameCodec.decode(message),
                "type 0x" + Integer.toHexString(code) + " was accepted");
        assertEquals(TunnelCloseCode.PROTOCOL_ERROR, e.closeCode());
      }
    }
  }

  @Test
  void rejectsNonZeroFlags() {
    for (int bit = 0; bit < 8; bit++) {
      byte[] message = header(0x13, 1 << bit, 0, 1, 1, 1);
      ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(message));
      assertTrue(e.getMessage().contains("flags"), e.getMessage());
    }
  }

  @Test
  void rejectsNonZeroReserved() {
    for (int bit = 0; bit < 16; bit++) {
      byte[] message = header(0x13, 0, 1 << bit, 1, 1, 1);
      ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(message));
      assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }
  }

  @Test
  void rejectsLengthFieldThatDisagreesWithMessage() {
    byte[] longer = Hex.bytes("13 00 0000 00000001 00000002 686969");
    byte[] shorter = Hex.bytes("13 00 0000 00000001 00000002 68");
    assertThrows(ProtocolException.class, () -> FrameCodec.decode(longer));
    assertThrows(ProtocolException.class, () -> FrameCodec.decode(shorter));
  }

  @Test
  void rejectsMessageShorterThanHeader() {
    for (int n = 0; n < ProtocolLimits.HEADER_SIZE; n++) {
      byte[] message = Arrays.copyOf(Hex.bytes("11 00 0000 00000001 00000000"), n);
      assertThrows(ProtocolException.class, () -> FrameCodec.decode(message), n + " bytes");
    }
  }

  @Test
  void rejectsControlFrameOnNonZeroChannel() {
    for (FrameType type : FrameType.values()) {
      if (type.control()) {
        byte[] message = header(type.code(), 0, 0, 1, 0, 0);
        assertThrows(ProtocolException.class, () -> FrameCodec.decode(message), type.name());
      }
    }
  }

  @Test
  void rejectsChannelFrameOnChannelZero() {
    for (FrameType type : FrameType.values()) {
      if (!type.control()) {
        byte[] message = header(type.code(), 0, 0, 0, 0, 0);
        assertThrows(ProtocolException.class, () -> FrameCodec.decode(message), type.name());
      }
    }
  }

  @Test
  void rejectsChannelIdWithTheTopBitSet() {
    byte[] message = Hex.bytes("13 00 0000 80000000 00000001 00");
    assertThrows(ProtocolException.class, () -> FrameCodec.decode(message));
  }

  @Test
  void refusesToEncodeOversizedPayload() {
    byte[] payload = new byte[ProtocolLimits.MAX_PAYLOAD + 1];
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameCodec.encode(Frame.channel(FrameType.DATA, 1, payload)));
  }

  @Test
  void refusesToEncodeControlFrameOnAChannel() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameCodec.encode(new Frame(FrameType.PING, 3, Messages.nonce(1))));
  }

  @Test
  void refusesToEncodeChannelFrameOnChannelZeroOrNegative() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameCodec.encode(new Frame(FrameType.DATA, 0, new byte[1])));
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameCodec.encode(new Frame(FrameType.DATA, -1, new byte[1])));
  }

  /** A message with the given header fields and {@code actual} payload bytes (zeros). */
  private static byte[] header(
      int type, int flags, int reserved, long channel, long length, int actual) {
    byte[] b = new byte[ProtocolLimits.HEADER_SIZE + actual];
    b[0] = (byte) type;
    b[1] = (byte) flags;
    b[2] = (byte) (reserved >>> 8);
    b[3] = (byte) reserved;
    for (int i = 0; i < 4; i++) {
      b[4 + i] = (byte) (channel >>> (24 - 8 * i));
      b[8 + i] = (byte) (length >>> (24 - 8 * i));
    }
    return b;
  }
}
