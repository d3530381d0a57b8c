package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What a late joiner is sent: the recent output, from a point where its terminal can start. */
class OutputRingTest {
  private static final int SLACK = 4096;

  @Test
  void snapshotOfShortStreamIsWhole() {
    OutputRing ring = new OutputRing(65536);
    byte[] stream = utf8("login: \u001b[1mroot\u001b[0m\r\nété 😀");
    ring.append(stream, 0, stream.length);
    assertArrayEquals(stream, ring.snapshot());
    assertEquals(stream.length, ring.total());
  }

  @Test
  void snapshotOfEmptyRingIsEmpty() {
    assertArrayEquals(new byte[0], new OutputRing(16).snapshot());
  }

  @Test
  void snapshotHoldsAtMostCapacity() {
    OutputRing ring = new OutputRing(1024);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (int i = 0; i < 1_000; i++) {
      byte[] line = utf8("line " + i + "\r\n");
      ring.append(line, 0, line.length);
      stream.writeBytes(line);
      byte[] snapshot = ring.snapshot();
      assertTrue(snapshot.length <= 1024, "snapshot of " + snapshot.length + " bytes");
      assertSuffix(stream.toByteArray(), snapshot);
    }
  }

  @Test
  void snapshotStartsAtALineStartWhenOneIsClose() {
    OutputRing ring = new OutputRing(8192);
    byte[] line = utf8("x".repeat(99) + "\n");
    for (int i = 0; i < 300; i++) {
      ring.append(line, 0, line.length);
      byte[] snapshot = ring.snapshot();
      assertEquals(0, snapshot.length % line.length, "starts at a line start");
    }
  }

  @Test
  void snapshotNeverStartsInsideCsi() {
    // long CSI sequences back to back: every checkpoint candidate but their ends is inside one
    byte[] csi = utf8("\u001b[" + "1;".repeat(300) + "m");
    assertSnapshotsStartWith(csi, 4096, new byte[] {0x1B, '['});
  }

  @Test
  void snapshotNeverStartsInsideOsc() {
    // titles with newlines inside: a newline inside an OSC is no line start
    byte[] osc =
        utf8(
            "\u001b]0;"
                + "title\n".repeat(100)
                + "\u0007"
                + "\u001b]2;"
                + "tïtle\n".repeat(100)
                + "\u001b\\");
    assertSnapshotsStartWith(osc, 4096, new byte[] {0x1B, ']'});
  }

  @Test
  void snapshotNeverStartsInsideDcs() {
    byte[] dcs = utf8("\u001bPq" + "#0;2;0;0;0\u0007\n".repeat(60) + "\u001b\\");
    assertSnapshotsStartWith(dcs, 4096, new byte[] {0x1B, 'P'});
  }

  @Test
  void snapshotNeverStartsInsideUtf8Character() {
    // two-, three- and four-byte characters only, so most offsets are inside one
    byte[] text = utf8("é€😀ü日😀😀€".repeat(2_000));
    OutputRing ring = new OutputRing(4096);
    SplittableRandom random = new SplittableRandom(5);
    for (int off = 0; off < text.length; ) {
      int n = Math.min(text.length - off, random.nextInt(1, 700));
      ring.append(text, off, n);
      off += n;
      byte[] snapshot = ring.snapshot();
      assertSuffix(Arrays.copyOf(text, off), snapshot);
      assertTrue(snapshot.length > 0, "no checkpoint at " + off);
      assertTrue((snapshot[0] & 0xC0) != 0x80, "starts with a continuation byte at " + off);
    }
  }

  @Test
  void snapshotIsEmptyWhileTheWindowHoldsNoSafePoint() {
    OutputRing ring = new OutputRing(4096);
    byte[] sixel = utf8("\u001bPq" + "#0!200~-".repeat(2_000));
    ring.append(sixel, 0, sixel.length);
    assertArrayEquals(new byte[0], ring.snapshot(), "inside one long DCS image");
    byte[] after = utf8("\u001b\\$ ");
    ring.append(after, 0, after.length);
    assertArrayEquals(utf8("$ "), ring.snapshot(), "from the end of the image");
  }

  @Test
  void appendLargerThanCapacityKeepsTheLastBytes() {
    OutputRing ring = new OutputRing(1000);
    byte[] text = utf8("0123456789".repeat(1_000));
    ring.append(text, 0, text.length);
    byte[] snapshot = ring.snapshot();
    assertSuffix(text, snapshot);
    assertTrue(snapshot.length > 0 && snapshot.length <= 1000);
    assertEquals(10_000, ring.total());
  }

  @Test
  void rejectsCapacityBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new OutputRing(0));
  }

  @Test
  void randomStreamsSnapshotFromASequenceBoundary() {
    SplittableRandom random = new SplittableRandom(0x7E7E);
    for (int capacity : new int[] {4096 + 512, 16384, 65536}) {
      for (int round = 0; round < 4; round++) {
        checkRandomStream(random, capacity, 4 * capacity);
      }
    }
  }

  private static void checkRandomStream(SplittableRandom random, int capacity, int length) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    BitSet boundaries = new BitSet();
    while (stream.size() < length) {
      boundaries.set(stream.size());
      stream.writeBytes(RandomTerminalOutput.token(random));
    }
    boundaries.set(stream.size());
    byte[] all = stream.toByteArray();
    OutputRing ring = new OutputRing(capacity);
    for (int off = 0; off < all.length; ) {
      int n = Math.min(all.length - off, random.nextInt(1, 3000));
      ring.append(all, off, n);
      off += n;
      byte[] snapshot = ring.snapshot();
      int start = off - snapshot.length;
      assertSuffix(Arrays.copyOf(all, off), snapshot);
      assertTrue(snapshot.length <= capacity, "more than the capacity");
      assertTrue(boundaries.get(start), "snapshot starts inside a sequence, at " + start);
      if (off > capacity) {
        assertTrue(
            snapshot.length >= capacity - SLACK,
            "snapshot of " + snapshot.length + " bytes out of " + capacity);
      }
    }
  }

  private static void assertSnapshotsStartWith(byte[] unit, int capacity, byte[] prefix) {
    OutputRing ring = new OutputRing(capacity);
    SplittableRandom random = new SplittableRandom(unit.length);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    byte[] all = new byte[unit.length * (3 * capacity / unit.length + 2)];
    for (int i = 0; i < all.length; i += unit.length) {
      System.arraycopy(unit, 0, all, i, unit.length);
    }
    for (int off = 0; off < all.length; ) {
      int n = Math.min(all.length - off, random.nextInt(1, 700));
      ring.append(all, off, n);
      stream.write(all, off, n);
      off += n;
      byte[] snapshot = ring.snapshot();
      assertSuffix(stream.toByteArray(), snapshot);
      assertTrue(snapshot.length > 0 || off > capacity, "empty snapshot of a short stream");
      if (snapshot.length > 0) {
        assertArrayEquals(
            prefix,
            Arrays.copyOf(snapshot, prefix.length),
            "starts at offset " + (off - snapshot.length) + ", not at a sequence start");
      }
    }
    assertTrue(ring.snapshot().length > 0, "a safe point is retained at the end");
  }

  private static void assertSuffix(byte[] stream, byte[] snapshot) {
    assertTrue(snapshot.length <= stream.length, "longer than the stream");
    assertArrayEquals(
        Arrays.copyOfRange(stream, stream.length - snapshot.length, stream.length),
        snapshot,
        "not the end of the stream");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
