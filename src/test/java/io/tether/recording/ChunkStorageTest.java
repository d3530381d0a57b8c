package io.tether.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.recording.RecordingFormat.ChunkWriter;
import io.tether.recording.RecordingFormat.Event;
import io.tether.testing.TerminalText;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How chunks are stored: compressed when that pays, as they are otherwise, and read back alike. */
class ChunkStorageTest {
  private final ChunkStorage storage = new ChunkStorage();

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void consoleTextIsStoredCompressedAndDecodesToTheSameEvents() {
    byte[] chunk = chunkOf(TerminalText.of(1, 64 * 1024));
    byte[] stored = storage.pack(chunk);
    assertEquals(ChunkStorage.DEFLATED, stored[0] & 0xFF);
    assertTrue(stored.length < chunk.length / 3, "stored " + stored.length + " of " + chunk.length);
    assertArrayEquals(chunk, ChunkStorage.unpack(stored));
    assertEquals(RecordingFormat.decode(chunk), RecordingFormat.decode(stored));
  }

  @Test
  void bytesThatDoNotShrinkAreStoredAsTheyAre() {
    byte[] chunk = chunkOf(random(2, 64 * 1024));
    assertSame(chunk, storage.pack(chunk));
  }

  @Test
  void aChunkWhoseStartShrinksIsStoredCompressedThoughTheRestDoesNot() {
    byte[] text = TerminalText.of(3, ChunkStorage.PROBE_BYTES);
    byte[] chunk = new byte[ChunkStorage.PROBE_BYTES + 60_000];
    System.arraycopy(text, 0, chunk, 0, text.length);
    System.arraycopy(random(4, 60_000), 0, chunk, text.length, 60_000);
    byte[] stored = storage.pack(chunk);
    assertEquals(ChunkStorage.DEFLATED, stored[0] & 0xFF);
    assertTrue(stored.length < chunk.length);
    assertArrayEquals(chunk, ChunkStorage.unpack(stored));
  }

  @Test
  void textAfterAnIncompressibleStartIsStoredAsItIs() {
    byte[] chunk = new byte[32 * 1024];
    System.arraycopy(random(5, ChunkStorage.PROBE_BYTES), 0, chunk, 0, ChunkStorage.PROBE_BYTES);
    byte[] text = TerminalText.of(6, chunk.length - ChunkStorage.PROBE_BYTES);
    System.arraycopy(text, 0, chunk, ChunkStorage.PROBE_BYTES, text.length);
    assertSame(chunk, storage.pack(chunk), "the probe decides: no second pass");
  }

  @Test
  void chunksShorterThanTheMinimumAreStoredAsTheyAre() {
    byte[] chunk = new byte[ChunkStorage.MIN_PACKED - 1]; // zeros: would shrink, not worth it
    assertSame(chunk, storage.pack(chunk));
    byte[] empty = new byte[0];
    assertSame(empty, storage.pack(empty));
    assertSame(empty, ChunkStorage.unpack(empty));
  }

  @Test
  void chunksStoredBeforeCompressionReadAsTheyAre() {
    byte[] chunk = chunkOf(TerminalText.of(7, 1000));
    assertSame(chunk, ChunkStorage.unpack(chunk));
  }

  @Test
  void onePackerStoresManyChunksInTurn() {
    for (int i = 0; i < 20; i++) {
      byte[] chunk =
          chunkOf(i % 3 == 0 ? random(i, 20_000 + i) : TerminalText.of(i, 30_000 + 1000 * i));
      assertArrayEquals(chunk, ChunkStorage.unpack(storage.pack(chunk)), "chunk " + i);
    }
  }

  @Test
  void theLargestChunkARecorderSealsIsStoredCompressed() {
    byte[] text = TerminalText.of(8, 2 * RecordingFormat.MAX_EVENT_DATA);
    byte[] chunk = chunkOf(text);
    assertTrue(chunk.length > 2 * RecordingFormat.MAX_EVENT_DATA);
    byte[] stored = storage.pack(chunk);
    assertEquals(ChunkStorage.DEFLATED, stored[0] & 0xFF);
    assertArrayEquals(chunk, ChunkStorage.unpack(stored));
  }

  @Test
  void chunksLargerThanTheUnpackBoundAreStoredAsTheyAre() {
    byte[] chunk = new byte[ChunkStorage.MAX_UNPACKED + 1];
    assertSame(chunk, storage.pack(chunk));
  }

  @Test
  void rejectsALengthOutsideTheBound() {
    assertRejected(envelope(0, zlib(new byte[0])), "length 0 is outside");
    assertRejected(
        envelope(ChunkStorage.MAX_UNPACKED + 1, zlib(new byte[10])), "is outside 1 … 1048576");
  }

  @Test
  void rejectsAMissingLength() {
    assertRejected(new byte[] {(byte) ChunkStorage.DEFLATED}, "no length");
    assertRejected(
        new byte[] {
          (byte) ChunkStorage.DEFLATED, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1
        },
        "no length");
  }

  @Test
  void rejectsAStreamShorterThanItsLength() {
    byte[] body = TerminalText.of(9, 5000);
    assertRejected(envelope(6000, zlib(body)), "holds 5000 bytes, not the 6000");
  }

  @Test
  void rejectsAStreamLongerThanItsLength() {
    byte[] body = TerminalText.of(10, 5000);
    assertRejected(envelope(4000, zlib(body)), "more than the 4000 bytes");
  }

  @Test
  void rejectsATruncatedStream() {
    byte[] z = zlib(TerminalText.of(11, 5000));
    assertRejected(envelope(5000, Arrays.copyOf(z, z.length / 2)), "truncated");
  }

  @Test
  void rejectsBytesAfterTheStream() {
    byte[] z = zlib(TerminalText.of(12, 5000));
    assertRejected(envelope(5000, Arrays.copyOf(z, z.length + 1)), "does not end");
  }

  @Test
  void rejectsACorruptedStreamByItsChecksum() {
    byte[] z = zlib(TerminalText.of(13, 5000));
    z[z.length - 1] ^= 1; // the Adler-32's last byte
    assertRejected(envelope(5000, z), "malformed recording chunk: compressed:");
  }

  private static void assertRejected(byte[] stored, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecordingFormat.decode(stored));
    assertTrue(
        e.getMessage().startsWith("malformed recording chunk: compressed: "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  /** A chunk of console output events, 1 ms apart, each at most MAX_EVENT_DATA. */
  private static byte[] chunkOf(byte[] output) {
    ChunkWriter writer = new ChunkWriter();
    for (int off = 0, at = 0; off < output.length; off += 4096, at += 1000) {
      writer.output(at, output, off, Math.min(4096, output.length - off));
    }
    byte[] chunk = writer.seal();
    List<Event> events = RecordingFormat.decode(chunk);
    assertEquals(output.length, events.stream().mapToInt(e -> e.data().length).sum());
    return chunk;
  }

  private static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static byte[] zlib(byte[] data) {
    Deflater d = new Deflater(Deflater.BEST_SPEED);
    try {
      d.setInput(data);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  private static byte[] envelope(int length, byte[] zlib) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ChunkStorage.DEFLATED);
    Varint.write(out, length);
    out.writeBytes(zlib);
    return out.toByteArray();
  }
}
