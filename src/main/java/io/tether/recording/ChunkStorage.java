package io.tether.recording;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * How a chunk is stored: compressed when that pays, else as encoded. A compressed chunk is the byte
 * {@link #DEFLATED} (no event kind has it), the encoded chunk's length as a varint, then its zlib
 * stream (RFC 1950: DEFLATE at the fastest level, and an Adler-32 of the chunk that unpacking
 * checks). Terminal text shrinks to a fifth or less, so the database receives, logs and keeps that
 * much less, and does not compress it itself (its TOAST compression, pglz, takes several times the
 * CPU); bytes that do not shrink (a binary file transfer, compressed or random data) are stored as
 * they are, told apart by deflating the first {@link #PROBE_BYTES} alone (as pglz gives up after
 * its first KiB), so they cost a fraction of a full attempt. Chunks stored before compression
 * (every chunk starts with an event kind) still decode.
 *
 * <p>One instance per thread: {@link #pack} reuses one {@link Deflater}. {@link #unpack} is static
 * and thread-safe.
 */
public final class ChunkStorage implements AutoCloseable {
  /** The first byte of a compressed chunk. */
  static final int DEFLATED = 0x80;

  /**
   * The largest encoded chunk stored compressed, and the most {@link #unpack} inflates one to: far
   * above what a recorder seals (64 KiB plus one event of at most {@link
   * RecordingFormat#MAX_EVENT_DATA}), so a corrupt length cannot make a reader allocate more.
   */
  static final int MAX_UNPACKED = 1 << 20;

  /** Shorter chunks (a keystroke's echo flushed alone) are not worth a compressor's pass. */
  static final int MIN_PACKED = 64;

  /** How much of a chunk is deflated first to tell whether the rest is worth it. */
  static final int PROBE_BYTES = 1024;

  /** The probe must shrink to at most this share of itself (in eighths), or the chunk stays. */
  static final int PROBE_KEEPS_EIGHTHS = 7;

  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
  private byte[] out = new byte[0];

  /** The chunk as stored: compressed if that makes it smaller, else the same array. */
  public byte[] pack(byte[] chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (chunk.length < MIN_PACKED || chunk.length > MAX_UNPACKED) {
      return chunk;
    }
    if (out.length < chunk.length) {
      out = new byte[chunk.length]; // a compressed chunk is kept only if smaller than the chunk
    }
    out[0] = (byte) DEFLATED;
    int header = Varint.write(out, 1, chunk.length);
    deflater.reset();
    int probe = Math.min(PROBE_BYTES, chunk.length);
    deflater.setInput(chunk, 0, probe);
    int probed = deflater.deflate(out, header, out.length - header, Deflater.SYNC_FLUSH);
    if (!deflater.needsInput() || probed * 8L > (long) probe * PROBE_KEEPS_EIGHTHS) {
      return chunk;
    }
    int n = header + probed;
    deflater.setInput(chunk, probe, chunk.length - probe);
    deflater.finish();
    while (!deflater.finished()) {
      if (n == out.length) {
        return chunk; // no smaller than the chunk itself
      }
      n += deflater.deflate(out, n, out.length - n);
    }
    return n < chunk.length ? Arrays.copyOf(out, n) : chunk;
  }

  /** The encoded chunk a stored one holds; a corrupt compressed chunk throws, naming what. */
  public static byte[] unpack(byte[] stored) {
    Objects.requireNonNull(stored, "stored");
    if (stored.length == 0 || (stored[0] & 0xFF) != DEFLATED) {
      return stored;
    }
    int pos = 1;
    long length = 0;
    for (int shift = 0; ; shift += 7) {
      if (pos == stored.length || shift > 21) {
        throw malformed("no length of at most 4 bytes");
      }
      int b = stored[pos++] & 0xFF;
      length |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (length == 0 || length > MAX_UNPACKED) {
      throw malformed("length %d is outside 1 … %d", length, MAX_UNPACKED);
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(stored, pos, stored.length - pos);
      byte[] chunk = new byte[(int) length];
      int n = 0;
      while (n < chunk.length && !inflater.finished()) {
        int k = inflater.inflate(chunk, n, chunk.length - n);
        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw malformed("truncated after %d of %d bytes", n, length);
        }
        n += k;
      }
      if (n < chunk.length) {
        throw malformed("holds %d bytes, not the %d it announces", n, length);
      }
      if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
        throw malformed("holds more than the %d bytes it announces", length);
      }
      if (!inflater.finished() || inflater.getRemaining() > 0) {
        throw malformed("does not end where its stream ends");
      }
      return chunk;
    } catch (DataFormatException e) {
      throw malformed("%s", e.getMessage());
    } finally {
      inflater.end();
    }
  }

  /** Frees the compressor's native memory. */
  @Override
  public void close() {
    deflater.end();
  }

  private static IllegalArgumentException malformed(String format, Object... args) {
    return new IllegalArgumentException(
        "malformed recording chunk: compressed: " + format.formatted(args));
  }
}
