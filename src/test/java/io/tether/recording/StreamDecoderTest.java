package io.tether.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java display decoder gives the browser's answers: the golden cases shared with {@code
 * decoderGolden.test.ts}, then the properties the golden cases cannot enumerate.
 */
class StreamDecoderTest {
  private static final Path GOLDEN = Path.of("frontend/src/terminal/decoder-golden.json");

  @TestFactory
  Stream<DynamicTest> givesTheBrowsersAnswerForEveryGoldenCase() throws IOException {
    JsonNode cases = new ObjectMapper().readTree(GOLDEN.toFile()).get("cases");
    assertTrue(cases.size() >= 30, "the golden file lost its cases");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
    }
    return tests.stream();
  }

  private static void check(JsonNode c) {
    StreamDecoder decoder = StreamDecoder.of(c.get("encoding").asText());
    List<String> outputs = new ArrayList<>();
    for (JsonNode chunk : c.get("chunks")) {
      byte[] b = new byte[chunk.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) chunk.get(i).asInt();
      }
      outputs.add(decoder.decode(b, 0, b.length));
    }
    outputs.add(decoder.flush());
    List<String> expected = new ArrayList<>();
    c.get("outputs").forEach(o -> expected.add(o.asText()));
    assertEquals(expected, outputs, "what each decode call and then flush returns");
    assertEquals(c.get("expected").asText(), String.join("", outputs));
  }

  @Test
  void acceptsTheSpellingsTheBrowserAccepts() {
    for (String name : List.of("utf-8", "UTF8", " utf_8 ", "Utf-8")) {
      assertEquals("utf-8", StreamDecoder.of(name).encoding(), name);
    }
    for (String name : List.of("latin-1", "LATIN1", "ISO-8859-1", "iso8859_1", "iso 8859-1")) {
      assertEquals("latin-1", StreamDecoder.of(name).encoding(), name);
    }
    for (String name : List.of("cp437", "IBM437", "ibm-437", "CP-437", "437")) {
      assertEquals("cp437", StreamDecoder.of(name).encoding(), name);
    }
  }

  @Test
  void rejectsAnUnknownEncoding() {
    for (String name : new String[] {"windows-1252", "utf-16", "", null}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StreamDecoder.of(name));
      assertTrue(e.getMessage().contains("utf-8, latin-1 or cp437"), e.getMessage());
    }
  }

  @Test
  void decodesValidUtf8LikeTheJdkAtEverySplitPoint() {
    String text = "x€ü😀\u001b[1m日本\r\n\ufeff\u0000\uffff\udbff\udfff";
    byte[] all = text.getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= all.length; cut++) {
      StreamDecoder d = StreamDecoder.of("utf-8");
      String out = d.decode(all, 0, cut) + d.decode(all, cut, all.length - cut) + d.flush();
      assertEquals(text, out, "split at " + cut);
    }
  }

  @Test
  void decodesRandomValidTextInRandomChunksWhole() {
    SplittableRandom random = new SplittableRandom(8);
    for (int round = 0; round < 200; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(200); i > 0; i--) {
        int cp = random.nextInt(0x110000);
        text.appendCodePoint(Character.isSurrogate((char) cp) && cp < 0x10000 ? 'x' : cp);
      }
      byte[] all = text.toString().getBytes(StandardCharsets.UTF_8);
      assertEquals(text.toString(), inChunks(StreamDecoder.of("utf-8"), all, random));
    }
  }

  @Test
  void replacesInvalidBytesLikeTheJdkExceptEncodedSurrogates() {
    // both replace maximal subparts, but the JDK turns an encoded surrogate (ED A0-BF xx) into
    // one U+FFFD where WHATWG (the browser) gives one per byte: why the JDK decoder is not used
    byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
    assertEquals("\uFFFD", new String(surrogate, StandardCharsets.UTF_8));
    assertEquals("\uFFFD\uFFFD\uFFFD", StreamDecoder.of("utf-8").decode(surrogate, 0, 3));
    SplittableRandom random = new SplittableRandom(9);
    for (int round = 0; round < 5_000; round++) {
      byte[] all = new byte[random.nextInt(60)];
      for (int i = 0; i < all.length; i++) {
        all[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
        if (i > 0 && all[i - 1] == (byte) 0xED && (all[i] & 0xE0) == 0xA0) {
          all[i] = (byte) 0x9F;
        }
      }
      String jdk = new String(all, StandardCharsets.UTF_8);
      assertEquals(jdk, inChunks(StreamDecoder.of("utf-8"), all, random));
    }
  }

  @Test
  void decodesOnlyTheSliceItIsGiven() {
    byte[] b = {(byte) 0xFF, (byte) 0xC3, (byte) 0xA9, (byte) 0xFF};
    assertEquals("é", StreamDecoder.of("utf-8").decode(b, 1, 2));
    assertEquals("Ã©", StreamDecoder.of("latin-1").decode(b, 1, 2));
    assertEquals("├⌐", StreamDecoder.of("cp437").decode(b, 1, 2));
  }

  @Test
  void flushEndsTheStreamSoTheDecoderStartsAfresh() {
    StreamDecoder d = StreamDecoder.of("utf-8");
    assertEquals("", d.decode(new byte[] {(byte) 0xE2}, 0, 1));
    assertEquals("\uFFFD", d.flush());
    assertEquals("", d.flush());
    assertEquals("A", d.decode(new byte[] {'A'}, 0, 1));
  }

  private static String inChunks(StreamDecoder d, byte[] all, SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    for (int off = 0; off < all.length; ) {
      int n = Math.min(all.length - off, random.nextInt(6));
      out.append(d.decode(all, off, n));
      off += n;
    }
    return out.append(d.flush()).toString();
  }
}
