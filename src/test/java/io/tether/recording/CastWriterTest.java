package io.tether.recording;

import static io.tether.recording.RecordingFormatTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.recording.RecordingFormat.Event;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The asciicast v2 export, checked by parsing it back with Jackson as a player would. */
class CastWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StringWriter text = new StringWriter();

  @Test
  void headerHasVersionSizeTimestampAndTitle() throws IOException {
    CastWriter cast = new CastWriter(text, "utf-8", false);
    cast.header(120, 40, 1_700_000_000L, "router-1 \"console\"");
    cast.finish();
    JsonNode header = lines().get(0);
    assertEquals(2, header.get("version").asInt());
    assertEquals(120, header.get("width").asInt());
    assertEquals(40, header.get("height").asInt());
    assertEquals(1_700_000_000L, header.get("timestamp").asLong());
    assertEquals("router-1 \"console\"", header.get("title").asText());
  }

  @Test
  void headerLeavesOutAMissingTitle() throws IOException {
    CastWriter cast = new CastWriter(text, "utf-8", false);
    cast.header(80, 24, 0, null);
    assertFalse(lines().get(0).has("title"));
  }

  @Test
  void eventsNeedTheHeaderFirst() {
    CastWriter cast = new CastWriter(text, "utf-8", false);
    assertThrows(IllegalStateException.class, () -> cast.accept(Event.output(0, bytes("x"))));
  }

  @Test
  void aFileTransferShowsItsNoteAsOutputInsteadOfItsBytes() throws IOException {
    CastWriter cast = started("utf-8", false);
    cast.accept(Event.output(0, bytes("$ sz file.bin\r\n")));
    cast.accept(Event.transfer(1, bytes("**\u0018B00000000000000 binary")));
    cast.accept(Event.note(2, "ZMODEM: file.bin, 2.0 MiB, device → user"));
    cast.accept(Event.output(3, bytes("$ ")));
    cast.finish();
    assertEquals(
        "$ sz file.bin\r\n\r\n[ZMODEM: file.bin, 2.0 MiB, device → user]\r\n$ ",
        joined(lines(), "o"));
  }

  @Test
  void theControllersResizeIsAnREvent() throws IOException {
    CastWriter cast = started("utf-8", false);
    cast.accept(Event.resize(500_000, 132, 43));
    cast.finish();
    JsonNode resize = lines().get(1);
    assertEquals(0.5, resize.get(0).asDouble());
    assertEquals("r", resize.get(1).asText());
    assertEquals("132x43", resize.get(2).asText());
  }

  @Test
  void everyEventIsATimeCodeAndTextArray() throws IOException {
    CastWriter cast = started("utf-8", true);
    cast.accept(Event.output(1_234_567, bytes("hello")));
    cast.accept(Event.input(2_000_000, bytes("ls\r")));
    cast.accept(Event.gap(3_000_001, 512));
    cast.finish();
    List<JsonNode> events = lines().subList(1, lines().size());
    assertEquals(3, events.size());
    for (JsonNode e : events) {
      assertTrue(
          e.isArray() && e.size() == 3 && e.get(0).isNumber() && e.get(2).isTextual(), "" + e);
    }
    assertEquals("[1.234567,\"o\",\"hello\"]", events.get(0).toString());
    assertEquals("[2.0,\"i\",\"ls\\r\"]", events.get(1).toString());
    assertEquals("[3.000001,\"m\",\"gap: 512 bytes not recorded\"]", events.get(2).toString());
  }

  @Test
  void timesAreSecondsWithSixDecimals() {
    assertEquals("0.000000", CastWriter.seconds(0));
    assertEquals("0.000005", CastWriter.seconds(5));
    assertEquals("1.234567", CastWriter.seconds(1_234_567));
    assertEquals("86400.000001", CastWriter.seconds(86_400_000_001L));
  }

  @Test
  void outputTextIsTheDecodedBytes() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    for (String encoding : List.of("utf-8", "latin-1", "cp437")) {
      byte[] all = new byte[5_000];
      random.nextBytes(all);
      StringWriter out = new StringWriter();
      CastWriter cast = new CastWriter(out, encoding, false);
      cast.header(80, 24, 0, null);
      long at = 0;
      for (int off = 0; off < all.length; ) {
        int n = Math.min(all.length - off, random.nextInt(1, 9));
        byte[] chunk = java.util.Arrays.copyOfRange(all, off, off + n);
        cast.accept(Event.output(at += random.nextInt(2_000), chunk));
        off += n;
      }
      cast.finish();
      StreamDecoder whole = StreamDecoder.of(encoding);
      String expected = whole.decode(all, 0, all.length) + whole.flush();
      assertEquals(expected, joined(lines(out.toString()), "o"), encoding);
    }
  }

  @Test
  void characterSplitAcrossEventsComesOutWholeInTheSecond() throws IOException {
    CastWriter cast = started("utf-8", false);
    cast.accept(Event.output(1_000, new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
    cast.accept(Event.output(2_000, new byte[] {(byte) 0xAC}));
    cast.finish();
    assertEquals("[0.001,\"o\",\"a\"]", lines().get(1).toString());
    assertEquals("[0.002,\"o\",\"€\"]", lines().get(2).toString());
  }

  @Test
  void unfinishedCharacterAtTheEndIsALastOutputEvent() throws IOException {
    CastWriter cast = started("utf-8", false);
    cast.accept(Event.output(7_000_000, new byte[] {'x', (byte) 0xF0, (byte) 0x9F}));
    cast.finish();
    assertEquals("[7.0,\"o\",\"\uFFFD\"]", lines().get(2).toString());
  }

  @Test
  void gapEndsACharacterItCut() throws IOException {
    CastWriter cast = started("utf-8", false);
    cast.accept(Event.output(1, new byte[] {(byte) 0xC3}));
    cast.accept(Event.gap(2, 10));
    cast.accept(Event.output(3, new byte[] {(byte) 0xA9, 'z'}));
    cast.finish();
    assertEquals("\uFFFD\uFFFDz", joined(lines(), "o"));
    assertEquals("m", lines().get(2).get(1).asText(), "the U+FFFD comes before the marker");
  }

  @Test
  void inputOnlyWhenIncludedAndDecodedAsUtf8() throws IOException {
    CastWriter with = started("cp437", true);
    with.accept(Event.input(1, bytes("é")));
    with.finish();
    assertEquals("é", joined(lines(), "i"));

    StringWriter out = new StringWriter();
    CastWriter without = new CastWriter(out, "cp437", false);
    without.header(80, 24, 0, null);
    without.accept(Event.input(1, bytes("secret\r")));
    without.finish();
    assertEquals(1, lines(out.toString()).size(), "nothing but the header");
  }

  @Test
  void escapesEveryCodePointSoItParsesBack() throws IOException {
    StringBuilder all = new StringBuilder();
    for (int cp = 0; cp < 0x110000; cp += cp < 0x3000 ? 1 : 97) {
      if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
        all.appendCodePoint(cp);
      }
    }
    all.append("\u2028\u2029\"\\\u001b\u007f\udbff\udfff");
    CastWriter cast = started("utf-8", false);
    cast.accept(Event.output(1, all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    cast.finish();
    assertEquals(all.toString(), joined(lines(), "o"));
    String raw = text.toString();
    assertTrue(raw.contains("\\u001b") && raw.contains("\\u2028") && raw.contains("\\u2029"));
    for (char c : raw.toCharArray()) {
      assertTrue(
          c == '\n' || c >= 0x20 && c != 0x7F && c != 0x2028 && c != 0x2029, "raw " + (int) c);
    }
  }

  @Test
  void loneSurrogateInATitleBecomesAReplacementCharacter() throws IOException {
    CastWriter cast = new CastWriter(text, "utf-8", false);
    cast.header(80, 24, 0, "a\ud800b\udc00");
    assertEquals("a\uFFFDb\uFFFD", lines().get(0).get("title").asText());
  }

  private CastWriter started(String encoding, boolean includeInput) throws IOException {
    CastWriter cast = new CastWriter(text, encoding, includeInput);
    cast.header(80, 24, 1_700_000_000L, null);
    return cast;
  }

  private List<JsonNode> lines() throws IOException {
    return lines(text.toString());
  }

  private static List<JsonNode> lines(String cast) throws IOException {
    assertTrue(cast.endsWith("\n"), "every line ends with a newline");
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : cast.split("\n")) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  private static String joined(List<JsonNode> lines, String code) {
    StringBuilder out = new StringBuilder();
    for (JsonNode e : lines.subList(1, lines.size())) {
      assertEquals(3, e.size(), "" + e);
      if (e.get(1).asText().equals(code)) {
        out.append(e.get(2).asText());
      }
    }
    return out.toString();
  }
}
