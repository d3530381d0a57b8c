package io.tether.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tether.recording.RecordingFormat.ChunkWriter;
import io.tether.recording.RecordingFormat.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The recording chunk format: round trips, the pinned wire bytes, and one test per rejection. */
class RecordingFormatTest {
  private final ChunkWriter writer = new ChunkWriter();

  @Test
  void roundTripKeepsEveryEvent() {
    List<Event> events =
        List.of(
            Event.output(0, bytes("login: ")),
            Event.input(1_500, bytes("root\r")),
            Event.gap(2_000_000, 4096),
            Event.output(3_600_000_000L * 24 * 365, bytes("a year later")),
            Event.input(Long.MAX_VALUE, bytes("the end of time")));
    assertEquals(events, RecordingFormat.decode(write(events)));
  }

  @Test
  void roundTripKeepsNotesAndTransferBytes() {
    byte[] binary = {0x18, 'B', 0, (byte) 0xff};
    List<Event> events =
        List.of(
            Event.output(0, bytes("$ sz f\r\n")),
            Event.transfer(10, binary),
            Event.note(20, "ZMODEM: f, 4 B, device → user"),
            Event.transfer(30, binary));
    List<Event> decoded = RecordingFormat.decode(write(events));
    assertEquals(events, decoded);
    assertEquals("ZMODEM: f, 4 B, device → user", decoded.get(2).text());
  }

  @Test
  void roundTripKeepsTheControllersTerminalSizes() {
    writer.output(0, bytes("$ "), 0, 2);
    writer.resize(5, 132, 43);
    writer.resize(9, 65535, 1);
    List<Event> decoded = RecordingFormat.decode(writer.seal());
    assertEquals(
        List.of(Event.output(0, bytes("$ ")), Event.resize(5, 132, 43), Event.resize(9, 65535, 1)),
        decoded);
    assertEquals("132x43", decoded.get(1).text());
  }

  @Test
  void rejectsAResizeThatIsNoTerminalSize() {
    assertThrows(IllegalArgumentException.class, () -> writer.resize(0, 0, 24));
    assertThrows(IllegalArgumentException.class, () -> writer.resize(0, 80, 65536));
    for (String bad : new String[] {"80", "80x", "x24", "080x24", "80x24x1", "99999x1", "-1x2"}) {
      byte[] data = bytes(bad);
      byte[] chunk = new byte[3 + data.length];
      chunk[0] = (byte) RecordingFormat.Kind.RESIZE.code();
      chunk[1] = 0; // time 0
      chunk[2] = (byte) data.length;
      System.arraycopy(data, 0, chunk, 3, data.length);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> RecordingFormat.decode(chunk), () -> bad);
      assertTrue(e.getMessage().contains("COLSxROWS"), e::getMessage);
    }
  }

  @Test
  void everyByteValueSurvivesInOutputAndInput() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    List<Event> events = List.of(Event.output(7, all), Event.input(8_000, all));
    assertEquals(events, RecordingFormat.decode(write(events)));
  }

  @Test
  void encodesKindTimeAndLengthAsDocumented() {
    writer.output(300, bytes("hi"), 0, 2);
    writer.gap(1_000, 128);
    writer.input(2_000, bytes("q"), 0, 1);
    assertArrayEquals(
        hex("01 ac02 02 6869" + "03 e807 8001" + "02 d00f 01 71"),
        writer.seal(),
        "kind, LEB128 time, then length and data, or the gap size");
  }

  @Test
  void mergesOutputWithinTheSameMillisecond() {
    writer.output(1_000, bytes("ab"), 0, 2);
    writer.output(1_999, bytes("cd"), 0, 2);
    writer.output(2_000, bytes("ef"), 0, 2);
    assertEquals(
        List.of(Event.output(1_000, bytes("abcd")), Event.output(2_000, bytes("ef"))),
        RecordingFormat.decode(writer.seal()));
  }

  @Test
  void doesNotMergeOutputAcrossInput() {
    writer.output(1_000, bytes("a"), 0, 1);
    writer.input(1_001, bytes("b"), 0, 1);
    writer.output(1_002, bytes("c"), 0, 1);
    assertEquals(3, RecordingFormat.decode(writer.seal()).size());
  }

  @Test
  void splitsDataLongerThanMaxEventData() {
    byte[] big = new byte[RecordingFormat.MAX_EVENT_DATA * 2 + 10];
    new SplittableRandom(1).nextBytes(big);
    writer.output(5, big, 0, big.length);
    writer.input(6_000, big, 0, big.length);
    List<Event> events = RecordingFormat.decode(writer.seal());
    assertEquals(6, events.size(), "three events each, none above the limit");
    for (Event e : events) {
      assertTrue(e.data().length <= RecordingFormat.MAX_EVENT_DATA);
    }
    assertArrayEquals(big, concat(events.subList(0, 3)));
    assertArrayEquals(big, concat(events.subList(3, 6)));
  }

  @Test
  void writesTheSliceOfTheArrayItIsGiven() {
    writer.output(1, bytes("xxhixx"), 2, 2);
    assertEquals(List.of(Event.output(1, bytes("hi"))), RecordingFormat.decode(writer.seal()));
  }

  @Test
  void sizeIsTheLengthOfTheSealedChunk() {
    SplittableRandom random = new SplittableRandom(42);
    List<Event> calls = new ArrayList<>();
    long at = 0;
    for (int i = 0; i < 300; i++) {
      at += random.nextInt(1_500);
      byte[] data = new byte[random.nextInt(1, 40)];
      Event call =
          switch (random.nextInt(4)) {
            case 0 -> Event.input(at, data);
            case 1 -> Event.gap(at, random.nextLong(1L << 40));
            default -> Event.output(at, data);
          };
      replay(writer, call);
      calls.add(call);
      assertEquals(write(calls).length, writer.size(), "after " + calls.size() + " events");
    }
  }

  @Test
  void sealReturnsTheChunkAndStartsAnEmptyOne() {
    assertTrue(writer.isEmpty());
    assertEquals(-1, writer.firstMicros());
    writer.output(42, bytes("x"), 0, 1);
    writer.output(99, bytes("y"), 0, 1);
    assertEquals(42, writer.firstMicros());
    assertTrue(!writer.isEmpty());
    assertEquals(List.of(Event.output(42, bytes("xy"))), RecordingFormat.decode(writer.seal()));
    assertTrue(writer.isEmpty());
    assertEquals(-1, writer.firstMicros());
    assertArrayEquals(new byte[0], writer.seal());
  }

  @Test
  void emptyReadsAreNotEvents() {
    writer.output(10, new byte[0], 0, 0);
    writer.input(10, new byte[0], 0, 0);
    assertTrue(writer.isEmpty());
    assertEquals(-1, writer.firstMicros());
  }

  @Test
  void everyChunkDecodesAlone() {
    writer.output(1_000_000, bytes("first"), 0, 5);
    writer.seal();
    writer.output(9_000_000, bytes("second"), 0, 6);
    assertEquals(
        List.of(Event.output(9_000_000, bytes("second"))), RecordingFormat.decode(writer.seal()));
  }

  @Test
  void rejectsNegativeTimesAndGapSizes() {
    assertThrows(IllegalArgumentException.class, () -> writer.output(-1, bytes("x"), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> writer.gap(0, -1));
    assertThrows(IllegalArgumentException.class, () -> Event.gap(-5, 1));
  }

  @Test
  void rejectsUnknownKind() {
    for (int code : new int[] {0, 7, 0x7F, 0x81, 0xFF}) { // 0x80 starts a compressed chunk
      IllegalArgumentException e = rejected(hex("%02x 00 00".formatted(code)));
      assertTrue(e.getMessage().contains("unknown event kind"), e.getMessage());
    }
  }

  @Test
  void rejectsEveryTruncation() {
    byte[] chunk = hex("01 ac02 03 616263" + "03 e807 8001" + "02 d00f 01 71");
    List<Integer> eventEnds = List.of(0, 7, 12, chunk.length);
    for (int cut = 0; cut < chunk.length; cut++) {
      if (!eventEnds.contains(cut)) {
        rejected(Arrays.copyOf(chunk, cut));
      }
    }
  }

  @Test
  void rejectsDataLongerThanMaxEventData() {
    // length MAX_EVENT_DATA + 1 = 0x10001, with the bytes present
    byte[] chunk = new byte[5 + RecordingFormat.MAX_EVENT_DATA + 1];
    System.arraycopy(hex("01 00 818004"), 0, chunk, 0, 5);
    IllegalArgumentException e = rejected(chunk);
    assertTrue(e.getMessage().contains("exceeds the maximum"), e.getMessage());
  }

  @Test
  void rejectsVarintLongerThanTenBytes() {
    IllegalArgumentException e = rejected(hex("03 8080808080808080808000 00"));
    assertTrue(e.getMessage().contains("longer than 10 bytes"), e.getMessage());
  }

  @Test
  void rejectsTimesBeyond63Bits() {
    rejected(hex("03 ffffffffffffffffff01 00"));
    assertEquals(
        List.of(Event.gap(Long.MAX_VALUE, 0)),
        RecordingFormat.decode(hex("03 ffffffffffffffff7f 00")),
        "Long.MAX_VALUE still decodes");
  }

  @Test
  void decodeEitherReturnsOrRejectsRandomInput() {
    SplittableRandom random = new SplittableRandom(20240613);
    byte[] valid =
        write(
            List.of(
                Event.output(1_234, bytes("hello \u001b[1mworld")),
                Event.gap(99_999, 3),
                Event.input(100_000, bytes("ls\r"))));
    for (int i = 0; i < 20_000; i++) {
      byte[] input;
      if (random.nextBoolean()) {
        input = new byte[random.nextInt(64)];
        random.nextBytes(input);
      } else {
        input = Arrays.copyOf(valid, random.nextInt(valid.length + 4));
        for (int flips = random.nextInt(1, 4); flips > 0 && input.length > 0; flips--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        RecordingFormat.decode(input);
      } catch (IllegalArgumentException expected) {
        // malformed input ends in IllegalArgumentException and nothing else
      } catch (RuntimeException e) {
        fail("decode threw " + e + " for " + Arrays.toString(input));
      }
    }
  }

  private static byte[] write(List<Event> events) {
    ChunkWriter w = new ChunkWriter();
    for (Event e : events) {
      replay(w, e);
    }
    return w.seal();
  }

  private static void replay(ChunkWriter w, Event e) {
    switch (e.kind()) {
      case OUTPUT -> w.output(e.atMicros(), e.data(), 0, e.data().length);
      case INPUT -> w.input(e.atMicros(), e.data(), 0, e.data().length);
      case GAP -> w.gap(e.atMicros(), e.gapBytes());
      case NOTE -> w.note(e.atMicros(), e.text());
      case TRANSFER -> w.transfer(e.atMicros(), e.data(), 0, e.data().length);
    }
  }

  private static IllegalArgumentException rejected(byte[] chunk) {
    return assertThrows(
        IllegalArgumentException.class,
        () -> RecordingFormat.decode(chunk),
        () -> "accepted " + Arrays.toString(chunk));
  }

  private static byte[] concat(List<Event> events) {
    List<Byte> all = new ArrayList<>();
    for (Event e : events) {
      for (byte b : e.data()) {
        all.add(b);
      }
    }
    byte[] out = new byte[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
  }
}
