package io.tether.cli.rfc2217;

import static io.tether.cli.rfc2217.Telnet.BRK;
import static io.tether.cli.rfc2217.Telnet.COM_PORT_OPTION;
import static io.tether.cli.rfc2217.Telnet.DO;
import static io.tether.cli.rfc2217.Telnet.IAC;
import static io.tether.cli.rfc2217.Telnet.SB;
import static io.tether.cli.rfc2217.Telnet.SE;
import static io.tether.cli.rfc2217.Telnet.WILL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Telnet decoder: data apart from commands, in any chunking, and never a crash. */
class TelnetDecoderTest {
  /** Records events as short strings; subnegotiations of option 44 "change the line". */
  private static final class Recorder implements TelnetDecoder.Events {
    final List<String> events = new ArrayList<>();

    @Override
    public void option(int verb, int option) {
      events.add("option " + verb + " " + option);
    }

    @Override
    public boolean subnegotiation(int option, byte[] body) {
      events.add("sb " + option + " " + HexFormat.of().formatHex(body));
      return option == COM_PORT_OPTION;
    }

    @Override
    public boolean command(int command) {
      events.add("command " + command);
      return command == BRK;
    }

    @Override
    public void malformed(String why) {
      events.add("malformed");
    }
  }

  private final Recorder recorder = new Recorder();
  private final TelnetDecoder decoder = new TelnetDecoder(recorder);

  /** Feeds {@code input} in chunks of {@code chunk} bytes, resuming after every early stop. */
  private byte[] decode(byte[] input, int chunk) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    byte[] out = new byte[input.length];
    int at = 0;
    while (at < input.length) {
      int len = Math.min(chunk, input.length - at);
      TelnetDecoder.Step step = decoder.feed(input, at, len, out, 0);
      assertTrue(step.data() <= step.consumed(), "more data than input");
      assertTrue(step.consumed() > 0, "no progress");
      data.write(out, 0, step.data());
      at += step.consumed();
    }
    return data.toByteArray();
  }

  private byte[] decode(byte[] input) {
    return decode(input, input.length);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void plainBytesAreData() {
    assertArrayEquals(bytes('h', 'i', 0, 0x0d, 0xfe), decode(bytes('h', 'i', 0, 0x0d, 0xfe)));
    assertEquals(List.of(), recorder.events);
  }

  @Test
  void iacIacInDataIsOneFFByte() {
    assertArrayEquals(bytes('a', 0xff, 'b'), decode(bytes('a', IAC, IAC, 'b')));
    assertEquals(List.of(), recorder.events);
  }

  @Test
  void optionCommandsAreNotData() {
    assertArrayEquals(
        bytes('a', 'b'), decode(bytes('a', IAC, WILL, COM_PORT_OPTION, IAC, DO, 3, 'b')));
    assertEquals(List.of("option 251 44", "option 253 3"), recorder.events);
  }

  @Test
  void subnegotiationIsDeliveredWholeAndIsNotData() {
    assertArrayEquals(
        bytes('x'), decode(bytes(IAC, SB, COM_PORT_OPTION, 1, 0, 0, 0x25, 0x80, IAC, SE, 'x'), 64));
    assertEquals(List.of("sb 44 0100002580"), recorder.events);
  }

  @Test
  void iacIacInsideSubnegotiationIsOneFFByte() {
    decode(bytes(IAC, SB, COM_PORT_OPTION, 1, 0, 0, IAC, IAC, IAC, IAC, IAC, SE));
    assertEquals(List.of("sb 44 010000ffff"), recorder.events);
  }

  @Test
  void splitAcrossChunks() {
    byte[] input =
        bytes('a', IAC, IAC, IAC, SB, COM_PORT_OPTION, 2, 7, IAC, SE, IAC, WILL, 0, 'b', IAC, IAC);
    for (int chunk = 1; chunk <= input.length; chunk++) {
      Recorder r = new Recorder();
      TelnetDecoder d = new TelnetDecoder(r);
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      byte[] out = new byte[input.length];
      int at = 0;
      while (at < input.length) {
        TelnetDecoder.Step step = d.feed(input, at, Math.min(chunk, input.length - at), out, 0);
        data.write(out, 0, step.data());
        at += step.consumed();
      }
      assertArrayEquals(bytes('a', 0xff, 'b', 0xff), data.toByteArray(), "chunk " + chunk);
      assertEquals(List.of("sb 44 0207", "option 251 0"), r.events, "chunk " + chunk);
    }
  }

  @Test
  void decoderStopsRightAfterALineChangeSoEarlierDataGoesFirst() {
    byte[] input = bytes('a', IAC, SB, COM_PORT_OPTION, 2, 7, IAC, SE, 'b');
    byte[] out = new byte[input.length];
    TelnetDecoder.Step step = decoder.feed(input, 0, input.length, out, 0);
    assertEquals(new TelnetDecoder.Step(8, 1), step, "stops after IAC SE with 'a' decoded");
    assertEquals('a', out[0]);
    assertEquals(new TelnetDecoder.Step(1, 1), decoder.feed(input, 8, 1, out, 0));
    assertEquals('b', out[0]);
  }

  @Test
  void telnetBreakCommandIsACommandNotData() {
    assertArrayEquals(bytes('a', 'b'), decode(bytes('a', IAC, BRK, 'b')));
    assertEquals(List.of("command 243"), recorder.events);
  }

  @Test
  void subnegotiationLongerThanTheLimitIsDroppedAndDataResumes() {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(bytes(IAC, SB, COM_PORT_OPTION, 0));
    in.writeBytes(new byte[TelnetDecoder.MAX_SUBNEGOTIATION + 10]); // zeros: not data
    in.writeBytes(bytes(IAC, IAC, 1, IAC, SE, 'o', 'k'));
    assertArrayEquals(bytes('o', 'k'), decode(in.toByteArray(), 7));
    assertEquals(List.of("malformed"), recorder.events);
  }

  @Test
  void subnegotiationOfExactlyTheLimitIsKept() {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(bytes(IAC, SB, COM_PORT_OPTION));
    in.writeBytes(new byte[TelnetDecoder.MAX_SUBNEGOTIATION]);
    in.writeBytes(bytes(IAC, SE));
    decode(in.toByteArray());
    assertEquals(1, recorder.events.size());
    assertTrue(recorder.events.get(0).startsWith("sb 44 "), recorder.events.toString());
  }

  @Test
  void aCommandInsideASubnegotiationDropsItAndIsObeyed() {
    byte[] data = decode(bytes(IAC, SB, COM_PORT_OPTION, 1, 0, IAC, WILL, 3, 'z'));
    assertArrayEquals(bytes('z'), data);
    assertEquals(List.of("malformed", "option 251 3"), recorder.events);
  }

  @Test
  void aSubnegotiationWithoutAnOptionIsDropped() {
    assertArrayEquals(bytes('z'), decode(bytes(IAC, SB, IAC, SE, 'z')));
    assertEquals(List.of("malformed", "malformed"), recorder.events);
  }

  @Test
  void seOutsideASubnegotiationIsDropped() {
    assertArrayEquals(bytes('a', 'b'), decode(bytes('a', IAC, SE, 'b')));
    assertEquals(List.of("malformed"), recorder.events);
  }

  @Test
  void escapedDataSurvivesRandomCommandsInAnyChunking() {
    Random random = new Random(2217);
    for (int round = 0; round < 200; round++) {
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      for (int part = 0; part < 20; part++) {
        byte[] data = new byte[random.nextInt(8)];
        random.nextBytes(data);
        expected.writeBytes(data);
        wire.writeBytes(Telnet.escape(data, 0, data.length));
        byte[] value = new byte[random.nextInt(6)];
        random.nextBytes(value);
        wire.writeBytes(
            switch (random.nextInt(3)) {
              case 0 -> Telnet.option(WILL + random.nextInt(4), random.nextInt(256));
              case 1 -> Telnet.comPort(random.nextInt(13), value);
              default -> bytes(IAC, 241 + random.nextInt(9)); // NOP … GA
            });
      }
      Recorder r = new Recorder();
      TelnetDecoder d = new TelnetDecoder(r);
      byte[] input = wire.toByteArray();
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      byte[] out = new byte[input.length];
      int chunk = 1 + random.nextInt(16);
      for (int at = 0; at < input.length; ) {
        TelnetDecoder.Step step = d.feed(input, at, Math.min(chunk, input.length - at), out, 0);
        data.write(out, 0, step.data());
        at += step.consumed();
      }
      assertArrayEquals(expected.toByteArray(), data.toByteArray(), "round " + round);
      assertTrue(!r.events.contains("malformed"), "round " + round + ": " + r.events);
    }
  }

  @Test
  void arbitraryInputNeverThrowsAndNeverGrowsTheData() {
    Random random = new Random(44);
    for (int round = 0; round < 500; round++) {
      byte[] input = new byte[random.nextInt(600)];
      random.nextBytes(input);
      for (int i = 0; i < input.length; i++) {
        if (random.nextInt(4) == 0) {
          input[i] = (byte) (random.nextBoolean() ? IAC : 240 + random.nextInt(16));
        }
      }
      TelnetDecoder d = new TelnetDecoder(new Recorder());
      byte[] out = new byte[input.length];
      int at = 0;
      while (at < input.length) {
        TelnetDecoder.Step step = d.feed(input, at, input.length - at, out, 0);
        assertTrue(step.consumed() > 0 && step.data() <= step.consumed());
        at += step.consumed();
      }
    }
  }
}
