package io.tether.bench;

import io.tether.testing.ByteSource;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A deterministic byte stream (the byte at offset o is a fixed random byte of o mod {@link
 * #PERIOD}) that a receiver checks in place with {@code Arrays.mismatch}: byte-exact at memory
 * speed, where SHA-256 would cap the direct baseline at the digest's own speed.
 */
final class Pattern {
  /** Longer than any read or write here and a multiple of none: a shifted stream mismatches. */
  static final int PERIOD = (1 << 20) + 17;

  /** The period twice, so that any window of up to PERIOD bytes is one contiguous slice. */
  private static final byte[] TWICE = new byte[2 * PERIOD];

  static {
    byte[] once = new byte[PERIOD];
    new SplittableRandom(8).nextBytes(once);
    System.arraycopy(once, 0, TWICE, 0, PERIOD);
    System.arraycopy(once, 0, TWICE, PERIOD, PERIOD);
  }

  private Pattern() {}

  /** Writes the {@code n} (≤ PERIOD) bytes of the stream at {@code offset}. */
  static void write(OutputStream out, long offset, int n) throws IOException {
    int at = (int) (offset % PERIOD);
    out.write(TWICE, at, n);
  }

  /** Writes per call of the stream's {@link ByteSource} content. */
  private static final int CHUNK = 64 * 1024;

  /**
   * The stream as a {@link ByteSource}'s content: {@code bytesPerConnection} bytes (Long.MAX_VALUE:
   * endless) to each connection, or until the reader goes away.
   */
  static ByteSource.Content content(long bytesPerConnection) {
    return repeating(TWICE, PERIOD, bytesPerConnection);
  }

  /**
   * {@code bytesPerConnection} bytes of {@code period} over and over (its length at least {@link
   * #CHUNK}), written {@link #CHUNK} at a time.
   */
  static ByteSource.Content repeating(byte[] period, long bytesPerConnection) {
    byte[] twice = Arrays.copyOf(period, 2 * period.length);
    System.arraycopy(period, 0, twice, period.length, period.length);
    return repeating(twice, period.length, bytesPerConnection);
  }

  /** {@code twice}: the period twice, so that any window of up to a period is one slice. */
  private static ByteSource.Content repeating(byte[] twice, int period, long bytesPerConnection) {
    return (out, sent) -> {
      for (long done = 0; done < bytesPerConnection && !Thread.currentThread().isInterrupted(); ) {
        int n = (int) Math.min(CHUNK, bytesPerConnection - done);
        out.write(twice, (int) (done % period), n);
        done += n;
        sent.accept(n);
      }
    };
  }

  /** A loopback server writing the stream to every connection (kernel-tuned send buffer). */
  static ByteSource server(long bytesPerConnection) {
    return ByteSource.start(content(bytesPerConnection), ByteSource.AUTOTUNED);
  }

  /** Whether {@code buffer[0..n)} (n ≤ PERIOD) is the stream at {@code offset}. */
  static boolean matches(byte[] buffer, int n, long offset) {
    int at = (int) (offset % PERIOD);
    return Arrays.mismatch(buffer, 0, n, TWICE, at, at + n) < 0;
  }
}
