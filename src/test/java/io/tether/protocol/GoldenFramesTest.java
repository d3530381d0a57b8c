package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact frames, at least one per frame type: these bytes are the v1 wire format (the examples
 * in docs/protocol.md are among them). A change here breaks every deployed agent.
 */
class GoldenFramesTest {
  @Test
  void helloWithOneTarget() throws Exception {
    Hello hello =
        new Hello(
            1,
            "1.0.0",
            "a1b2c3d4",
            List.of(new Hello.Target("console", TargetKind.SERIAL, "USB console")));
    Frame frame =
        assertGolden(
            "01 00 0000 00000000 0000002c"
                + " 0001"
                + " 0005 312e302e30"
                + " 0008 6131623263336434"
                + " 0001"
                + " 0007 636f6e736f6c65 01 000b 55534220636f6e736f6c65",
            Frame.control(FrameType.HELLO, hello.encode()));
    assertEquals(hello, Hello.decode(frame.payload()));
  }

  @Test
  void helloWithATcpTarget() throws Exception {
    Hello hello = new Hello(1, "", "i", List.of(new Hello.Target("ds", TargetKind.TCP, "")));
    Frame frame =
        assertGolden(
            "01 00 0000 00000000 00000010 0001 0000 0001 69 0001 0002 6473 02 0000",
            Frame.control(FrameType.HELLO, hello.encode()));
    assertEquals(hello, Hello.decode(frame.payload()));
  }

  @Test
  void welcomeWithTheDefaults() throws Exception {
    Welcome welcome = new Welcome(1, 262_144, 65_536, 20_000, 60_000, 0);
    Frame frame =
        assertGolden(
            "02 00 0000 00000000 00000016 0001 00040000 00010000 00004e20 0000ea60 00000000",
            Frame.control(FrameType.WELCOME, welcome.encode()));
    assertEquals(welcome, Welcome.decode(frame.payload()));
  }

  @Test
  void ping() throws Exception {
    Frame frame =
        assertGolden(
            "03 00 0000 00000000 00000008 0000000000000001",
            Frame.control(FrameType.PING, Messages.nonce(1)));
    assertEquals(1, Messages.nonce(frame.payload()));
  }

  @Test
  void pong() throws Exception {
    Frame frame =
        assertGolden(
            "04 00 0000 00000000 00000008 ffffffffffffffff",
            Frame.control(FrameType.PONG, Messages.nonce(-1)));
    assertEquals(-1, Messages.nonce(frame.payload()));
  }

  @Test
  void targetStatus() throws Exception {
    Messages.TargetStatus status =
        new Messages.TargetStatus("console", Messages.STATUS_MISSING, "no /dev/ttyUSB0");
    Frame frame =
        assertGolden(
            "05 00 0000 00000000 0000001b"
                + " 0007 636f6e736f6c65 01 000f 6e6f202f6465762f74747955534230",
            Frame.control(FrameType.TARGET_STATUS, Messages.targetStatus(status)));
    assertEquals(status, Messages.targetStatus(frame.payload()));
  }

  @Test
  void openWithoutLineSettings() throws Exception {
    Open open = new Open("console", Optional.empty());
    Frame frame =
        assertGolden(
            "10 00 0000 00000001 0000000a 0007 636f6e736f6c65 00",
            Frame.channel(FrameType.OPEN, 1, open.encode()));
    assertEquals(open, Open.decode(frame.payload()));
  }

  @Test
  void openWithABaudRate() throws Exception {
    Open open = new Open("console", Optional.of(LineSettings.baud(115_200)));
    Frame frame =
        assertGolden(
            "10 00 0000 00000002 00000017 0007 636f6e736f6c65 01"
                + " 01 0001c200 08 00 01 00 00 00 0000",
            Frame.channel(FrameType.OPEN, 2, open.encode()));
    assertEquals(open, Open.decode(frame.payload()));
  }

  @Test
  void openTakingOverTheSession() throws Exception {
    Open open = new Open("console", Optional.empty(), true);
    Frame frame =
        assertGolden(
            "10 00 0000 00000003 0000000a 0007 636f6e736f6c65 02",
            Frame.channel(FrameType.OPEN, 3, open.encode()));
    assertEquals(open, Open.decode(frame.payload()));
  }

  @Test
  void opened() {
    assertGolden("11 00 0000 00000001 00000000", Frame.channel(FrameType.OPENED, 1, Frame.EMPTY));
  }

  @Test
  void refused() throws Exception {
    Reason reason = new Reason(Reason.TARGET_BUSY, "in use");
    Frame frame =
        assertGolden(
            "12 00 0000 00000001 0000000a 0003 0006 696e20757365",
            Frame.channel(FrameType.REFUSED, 1, reason.encode()));
    assertEquals(reason, Reason.decode(frame.payload(), "REFUSED"));
  }

  @Test
  void dataHi() {
    assertGolden(
        "13 00 0000 00000001 00000002 6869",
        Frame.channel(FrameType.DATA, 1, "hi".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void dataOnTheHighestChannelId() {
    assertGolden(
        "13 00 0000 7fffffff 00000001 00",
        Frame.channel(FrameType.DATA, Integer.MAX_VALUE, new byte[1]));
  }

  @Test
  void credit131072() throws Exception {
    Frame frame =
        assertGolden(
            "14 00 0000 00000001 00000004 00020000",
            Frame.channel(FrameType.CREDIT, 1, Messages.credit(131_072)));
    assertEquals(131_072, Messages.credit(frame.payload()));
  }

  @Test
  void eof() {
    assertGolden("15 00 0000 00000001 00000000", Frame.channel(FrameType.EOF, 1, Frame.EMPTY));
  }

  @Test
  void closeNormal() throws Exception {
    Reason reason = new Reason(Reason.NORMAL, "");
    Frame frame =
        assertGolden(
            "16 00 0000 00000001 00000004 0001 0000",
            Frame.channel(FrameType.CLOSE, 1, reason.encode()));
    assertEquals(reason, Reason.decode(frame.payload(), "CLOSE"));
  }

  @Test
  void line9600SevenEvenOne() throws Exception {
    LineSettings settings =
        new LineSettings(
            LineSettings.BAUD
                | LineSettings.DATA_BITS
                | LineSettings.PARITY
                | LineSettings.STOP_BITS,
            9600,
            7,
            LineSettings.PARITY_EVEN,
            1,
            LineSettings.FLOW_NONE,
            false,
            false,
            0);
    Frame frame =
        assertGolden(
            "17 00 0000 00000001 0000000d 0f 00002580 07 02 01 00 00 00 0000",
            Frame.channel(FrameType.LINE, 1, settings.encode()));
    assertEquals(settings, LineSettings.decode(frame.payload()));
  }

  @Test
  void lineDtrOnRtsOffAndABreak() throws Exception {
    LineSettings settings =
        new LineSettings(
            LineSettings.DTR | LineSettings.RTS | LineSettings.BREAK,
            0,
            0,
            0,
            0,
            0,
            true,
            false,
            250);
    Frame frame =
        assertGolden(
            "17 00 0000 00000003 0000000d e0 00000000 00 00 00 00 01 00 00fa",
            Frame.channel(FrameType.LINE, 3, settings.encode()));
    assertEquals(settings, LineSettings.decode(frame.payload()));
  }

  /** Encoding gives exactly these bytes, and decoding them gives the same frame back. */
  private static Frame assertGolden(String hex, Frame frame) {
    byte[] golden = Hex.bytes(hex);
    assertEquals(Hex.of(golden), Hex.of(FrameCodec.encode(frame)), frame + " encodes differently");
    try {
      Frame decoded = FrameCodec.decode(golden);
      assertEquals(frame.type(), decoded.type());
      assertEquals(frame.channel(), decoded.channel());
      assertArrayEquals(frame.payload(), decoded.payload());
      return decoded;
    } catch (ProtocolException e) {
      throw new AssertionError("golden " + frame + " does not decode: " + e.getMessage(), e);
    }
  }
}
