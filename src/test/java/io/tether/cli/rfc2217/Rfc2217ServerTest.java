package io.tether.cli.rfc2217;

import static io.tether.cli.rfc2217.Telnet.BINARY;
import static io.tether.cli.rfc2217.Telnet.COM_PORT_OPTION;
import static io.tether.cli.rfc2217.Telnet.DO;
import static io.tether.cli.rfc2217.Telnet.DONT;
import static io.tether.cli.rfc2217.Telnet.ECHO;
import static io.tether.cli.rfc2217.Telnet.IAC;
import static io.tether.cli.rfc2217.Telnet.SB;
import static io.tether.cli.rfc2217.Telnet.SE;
import static io.tether.cli.rfc2217.Telnet.SUPPRESS_GO_AHEAD;
import static io.tether.cli.rfc2217.Telnet.WILL;
import static io.tether.cli.rfc2217.Telnet.WONT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.LineSettings;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The RFC 2217 server: option answers, COM port commands as LINE blocks, and its replies. */
class Rfc2217ServerTest {
  private static final int LINEMODE = 34;

  private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
  private final List<LineSettings> lines = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final TelnetDecoder decoder =
      new TelnetDecoder(
          new Rfc2217Server(
              new Rfc2217Server.Output() {
                @Override
                public void toClient(byte[] bytes) {
                  toClient.writeBytes(bytes);
                }

                @Override
                public void line(LineSettings settings) {
                  lines.add(settings);
                }

                @Override
                public void log(String line) {
                  log.add(line);
                }
              },
              nanos::get));

  /** Feeds what the client sent; returns the data bytes meant for the device. */
  private byte[] client(byte[] input) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    byte[] out = new byte[input.length];
    for (int at = 0; at < input.length; ) {
      TelnetDecoder.Step step = decoder.feed(input, at, input.length - at, out, 0);
      data.write(out, 0, step.data());
      at += step.consumed();
    }
    return data.toByteArray();
  }

  private String replies() {
    String hex = HexFormat.of().formatHex(toClient.toByteArray());
    toClient.reset();
    return hex;
  }

  private static byte[] set(int command, int... value) {
    byte[] v = new byte[value.length];
    for (int i = 0; i < value.length; i++) {
      v[i] = (byte) value[i];
    }
    return Telnet.comPort(command, v);
  }

  private static byte[] baud(long rate) {
    return Telnet.comPort(Telnet.SET_BAUDRATE, ByteBuffer.allocate(4).putInt((int) rate).array());
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static LineSettings only(int mask, LineSettings s) {
    assertEquals(mask, s.mask(), "mask of " + s);
    return s;
  }

  // --- option negotiation ---

  @Test
  void doComPortOptionIsAnsweredWill() {
    client(Telnet.option(DO, COM_PORT_OPTION));
    assertEquals(hex(Telnet.option(WILL, COM_PORT_OPTION)), replies());
  }

  @Test
  void willComPortOptionIsAnsweredDo() {
    client(Telnet.option(WILL, COM_PORT_OPTION));
    assertEquals(hex(Telnet.option(DO, COM_PORT_OPTION)), replies());
  }

  @Test
  void binaryAndSuppressGoAheadAreAcceptedBothWays() {
    client(Telnet.option(DO, BINARY));
    client(Telnet.option(WILL, BINARY));
    client(Telnet.option(DO, SUPPRESS_GO_AHEAD));
    client(Telnet.option(WILL, SUPPRESS_GO_AHEAD));
    assertEquals("fffb00" + "fffd00" + "fffb03" + "fffd03", replies());
  }

  @Test
  void pyserialsOpeningRequestsGetTheAnswersItWaitsFor() {
    // pyserial's rfc2217 client opens with: DO ECHO, WILL SGA, DO SGA, WILL COM-PORT, DO COM-PORT
    client(
        concat(
            Telnet.option(DO, ECHO),
            Telnet.option(WILL, SUPPRESS_GO_AHEAD),
            Telnet.option(DO, SUPPRESS_GO_AHEAD),
            Telnet.option(WILL, COM_PORT_OPTION),
            Telnet.option(DO, COM_PORT_OPTION)));
    assertEquals("fffc01" + "fffd03" + "fffb03" + "fffd2c" + "fffb2c", replies());
  }

  @Test
  void otherOptionsAreRefused() {
    client(Telnet.option(DO, ECHO));
    client(Telnet.option(WILL, LINEMODE));
    assertEquals(hex(concat(Telnet.option(WONT, ECHO), Telnet.option(DONT, LINEMODE))), replies());
  }

  @Test
  void aRequestForTheStateInEffectIsNotAnsweredSoNothingLoops() {
    client(Telnet.option(DO, COM_PORT_OPTION));
    replies();
    client(Telnet.option(DO, COM_PORT_OPTION));
    client(Telnet.option(WONT, BINARY)); // never enabled
    client(Telnet.option(DONT, ECHO)); // never enabled
    assertEquals("", replies());
    client(Telnet.option(DONT, COM_PORT_OPTION));
    assertEquals(hex(Telnet.option(WONT, COM_PORT_OPTION)), replies());
  }

  // --- line settings ---

  @Test
  void baudRateSubnegotiationBecomesLine() {
    client(baud(9600));
    assertEquals(1, lines.size());
    assertEquals(9600, only(LineSettings.BAUD, lines.get(0)).baud());
    assertEquals(hex(Telnet.comPort(101, new byte[] {0, 0, 0x25, (byte) 0x80})), replies());
  }

  @Test
  void dataSizeParityAndStopSizeBecomeLine() {
    client(
        concat(
            baud(9600),
            set(Telnet.SET_DATASIZE, 7),
            set(Telnet.SET_PARITY, 3),
            set(Telnet.SET_STOPSIZE, 2)));
    assertEquals(4, lines.size(), lines.toString());
    assertEquals(7, only(LineSettings.DATA_BITS, lines.get(1)).dataBits());
    assertEquals(LineSettings.PARITY_EVEN, only(LineSettings.PARITY, lines.get(2)).parity());
    assertEquals(2, only(LineSettings.STOP_BITS, lines.get(3)).stopBits());
    assertEquals(
        hex(concat(baudReply(9600), set(102, 7), set(103, 3), set(104, 2))),
        replies(),
        "each reply echoes the value now in effect");
  }

  @Test
  void parityCodesMapToTheLineBlocksCodes() {
    int[] expected = {
      LineSettings.PARITY_NONE,
      LineSettings.PARITY_ODD,
      LineSettings.PARITY_EVEN,
      LineSettings.PARITY_MARK,
      LineSettings.PARITY_SPACE
    };
    for (int rfc = 1; rfc <= 5; rfc++) {
      client(set(Telnet.SET_PARITY, rfc));
      assertEquals(expected[rfc - 1], lines.get(rfc - 1).parity(), "RFC 2217 parity " + rfc);
    }
  }

  @Test
  void oneAndAHalfStopBitsKeepTheirCode() {
    client(set(Telnet.SET_STOPSIZE, 3));
    assertEquals(LineSettings.STOP_ONE_AND_HALF, lines.get(0).stopBits());
  }

  @Test
  void queryAnswersTheValueThisConnectionSet() {
    client(concat(baud(19200), set(Telnet.SET_DATASIZE, 7)));
    replies();
    lines.clear();
    client(concat(baud(0), set(Telnet.SET_DATASIZE, 0)));
    assertEquals(List.of(), lines, "a query changes nothing");
    assertEquals(hex(concat(baudReply(19200), set(102, 7))), replies());
  }

  @Test
  void queryBeforeAnySetIsAnsweredZeroForUnknown() {
    client(concat(baud(0), set(Telnet.SET_PARITY, 0), set(Telnet.SET_CONTROL, 0)));
    assertEquals(hex(concat(baudReply(0), set(103, 0), set(105, 0))), replies());
    assertEquals(List.of(), lines);
  }

  @Test
  void outOfRangeValuesAreRefusedWithTheValueInEffect() {
    client(baud(115200));
    replies();
    lines.clear();
    client(concat(baud(LineSettings.MAX_BAUD + 1), set(Telnet.SET_DATASIZE, 9)));
    client(concat(set(Telnet.SET_PARITY, 6), set(Telnet.SET_STOPSIZE, 4)));
    assertEquals(List.of(), lines, "nothing out of range reaches the device");
    assertEquals(hex(concat(baudReply(115200), set(102, 0), set(103, 0), set(104, 0))), replies());
  }

  @Test
  void replyValuesHoldingFFAreEscaped() {
    client(baud(0xffff)); // 65535 baud: 00 00 ff ff
    assertEquals("fffa2c65" + "0000ffffffff" + "fff0", replies());
  }

  // --- SET-CONTROL ---

  @Test
  void flowControlValuesBecomeLineFlow() {
    client(concat(set(5, 1), set(5, 2), set(5, 3), set(5, 14), set(5, 15), set(5, 16)));
    int[] expected = {
      LineSettings.FLOW_NONE,
      LineSettings.FLOW_XON_XOFF,
      LineSettings.FLOW_RTS_CTS,
      LineSettings.FLOW_NONE,
      LineSettings.FLOW_XON_XOFF,
      LineSettings.FLOW_RTS_CTS
    };
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], only(LineSettings.FLOW, lines.get(i)).flowControl(), "#" + i);
    }
    assertEquals(
        hex(
            concat(
                set(105, 1), set(105, 2), set(105, 3), set(105, 14), set(105, 15), set(105, 16))),
        replies());
    client(concat(set(5, 0), set(5, 13), set(5, 18)));
    assertEquals(hex(concat(set(105, 3), set(105, 16), set(105, 16))), replies());
  }

  @Test
  void dtrAndRtsBecomeLine() {
    client(concat(set(5, 8), set(5, 9), set(5, 11), set(5, 12), set(5, 7), set(5, 10)));
    assertEquals(4, lines.size());
    assertTrue(only(LineSettings.DTR, lines.get(0)).dtr());
    assertEquals(false, only(LineSettings.DTR, lines.get(1)).dtr());
    assertTrue(only(LineSettings.RTS, lines.get(2)).rts());
    assertEquals(false, only(LineSettings.RTS, lines.get(3)).rts());
    assertEquals(
        hex(
            concat(
                set(105, 8), set(105, 9), set(105, 11), set(105, 12), set(105, 9), set(105, 12))),
        replies());
  }

  @Test
  void breakOnThenOffIsABreakOfTheElapsedTime() {
    client(set(5, 5));
    assertEquals(List.of(), lines, "BREAK-ON alone sends nothing yet");
    client(set(5, 4));
    nanos.addAndGet(1_500_000_000L);
    client(set(5, 6));
    assertEquals(1, lines.size());
    assertEquals(1500, only(LineSettings.BREAK, lines.get(0)).breakMillis());
    assertEquals(hex(concat(set(105, 5), set(105, 5), set(105, 6))), replies());
  }

  @Test
  void aBreakShorterThanTheFloorIsRaisedToIt() {
    client(concat(set(5, 5), set(5, 6))); // one segment: ~0 ms measured
    assertEquals(ComPortCommands.BREAK_FLOOR_MILLIS, lines.get(0).breakMillis());
  }

  @Test
  void aBreakLongerThanTheLineBlockCarriesIsCapped() {
    client(set(5, 5));
    nanos.addAndGet(60_000_000_000L);
    client(set(5, 6));
    assertEquals(LineSettings.MAX_BREAK_MILLIS, lines.get(0).breakMillis());
  }

  @Test
  void breakOffWithoutBreakOnSendsNoBreak() {
    client(set(5, 6));
    assertEquals(List.of(), lines);
    assertEquals(hex(set(105, 6)), replies());
  }

  @Test
  void telnetBreakCommandIsAFixedBreak() {
    assertArrayEquals(new byte[] {'a', 'b'}, client(new byte[] {'a', (byte) IAC, (byte) 243, 'b'}));
    assertEquals(
        ComPortCommands.TELNET_BREAK_MILLIS, only(LineSettings.BREAK, lines.get(0)).breakMillis());
  }

  // --- the rest of RFC 2217 ---

  @Test
  void purgeIsAcknowledgedWithItsValue() {
    client(concat(set(12, 1), set(12, 2), set(12, 3)));
    assertEquals(hex(concat(set(112, 1), set(112, 2), set(112, 3))), replies());
    assertEquals(List.of(), lines);
  }

  @Test
  void signatureRequestIsAnsweredAndAClientSignatureIsNot() {
    client(Telnet.comPort(0, new byte[0]));
    assertEquals(hex(Telnet.comPort(100, ComPortCommands.SIGNATURE.getBytes())), replies());
    client(Telnet.comPort(0, "pyserial".getBytes()));
    assertEquals("", replies());
  }

  @Test
  void stateMasksAreAnsweredZeroBecauseNothingIsNotified() {
    client(concat(set(10, 0xff), set(11, 0xff)));
    assertEquals(hex(concat(set(110, 0), set(111, 0))), replies());
  }

  @Test
  void aSubnegotiationOfTheWrongLengthIsDroppedAndLogged() {
    byte[] data =
        client(
            concat(
                Telnet.comPort(Telnet.SET_BAUDRATE, new byte[] {0, 0x25, (byte) 0x80}),
                set(Telnet.SET_DATASIZE, 7, 1),
                set(Telnet.SET_CONTROL),
                new byte[] {'o', 'k'}));
    assertArrayEquals(new byte[] {'o', 'k'}, data, "data after the bad ones still flows");
    assertEquals(List.of(), lines);
    assertEquals("", replies());
    assertEquals(3, log.size(), log.toString());
  }

  @Test
  void unknownCommandsAndOtherOptionsAreIgnored() {
    client(
        concat(
            set(99, 1),
            set(5, 42),
            new byte[] {(byte) IAC, (byte) SB, 24, 0, 'x', (byte) IAC, (byte) SE}));
    assertEquals(List.of(), lines);
    assertEquals("", replies());
    assertEquals(3, log.size(), log.toString());
  }

  @Test
  void aClientThatKeepsSendingGarbageIsLoggedOnlySoOften() {
    for (int i = 0; i < 100; i++) {
      client(set(99));
    }
    assertEquals(Rfc2217Server.MAX_LOGGED, log.size());
  }

  @Test
  void ffInDataToTheClientIsDoubled() {
    byte[] data = {1, (byte) 0xff, 2, (byte) 0xff};
    assertEquals("01ffff02ffff", hex(Telnet.escape(data, 0, data.length)));
    assertEquals("ffff02", hex(Telnet.escape(data, 1, 2)), "only the given range");
  }

  private static byte[] baudReply(long rate) {
    return Telnet.comPort(101, ByteBuffer.allocate(4).putInt((int) rate).array());
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
