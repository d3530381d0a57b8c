package io.tether.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputLinesTest {
  private static final Instant T1 = Instant.parse("2026-12-05T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-12-05T10:00:01Z");

  private final List<String> lines = new ArrayList<>();
  private final List<Instant> times = new ArrayList<>();
  private final OutputLines.Sink sink =
      (at, text) -> {
        times.add(at);
        lines.add(text);
      };

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLineCarriesTheTimeItsFirstCharacterWasRead() {
    OutputLines out = new OutputLines("utf-8", 100);
    out.feed(b("ker"), 0, 3, T1, sink);
    out.feed(b("nel\r\n"), 0, 5, T2, sink);
    assertEquals(List.of("kernel"), lines);
    assertEquals(List.of(T1), times);
  }

  @Test
  void escapeSequencesAndLoneCarriageReturnsAreRemovedAndBackspaceApplies() {
    OutputLines out = new OutputLines("utf-8", 100);
    byte[] data = b("\u001b[1;31mred\u001b[0m ok\rX\bY\n");
    out.feed(data, 0, data.length, T1, sink);
    assertEquals(List.of("red okY"), lines);
  }

  @Test
  void aCharacterSplitAcrossChunksIsDecodedWhole() {
    OutputLines out = new OutputLines("utf-8", 100);
    byte[] e = b("\u00e9\n");
    out.feed(e, 0, 1, T1, sink);
    out.feed(e, 1, 2, T2, sink);
    assertEquals(List.of("\u00e9"), lines);
  }

  @Test
  void aLineLongerThanTheBoundIsBrokenInTwo() {
    OutputLines out = new OutputLines("utf-8", 4);
    out.feed(b("abcdefg\n"), 0, 8, T1, sink);
    assertEquals(List.of("abcd", "efg"), lines);
  }

  @Test
  void aGapEndsTheLineHeldAndFinishGivesThePartialLastLine() {
    OutputLines out = new OutputLines("latin-1", 100);
    out.feed(b("before"), 0, 6, T1, sink);
    out.gap(sink);
    out.feed(b("after"), 0, 5, T2, sink);
    out.finish(sink);
    assertEquals(List.of("before", "after"), lines);
    assertEquals(List.of(T1, T2), times);
  }
}
