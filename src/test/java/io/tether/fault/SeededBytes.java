package io.tether.fault;

import io.tether.testing.ByteSource;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * {@code bytes} pseudo-random bytes from a seed, for a {@link ByteSource}: completes with their
 * SHA-256 once all of them were written (to the first connection that took them all).
 */
final class SeededBytes implements ByteSource.Content {
  /** Small writes: the source's count is never more than this ahead of what the kernel took. */
  private static final int CHUNK = 16 * 1024;

  private final long bytes;
  private final long seed;
  private final CompletableFuture<String> sha256 = new CompletableFuture<>();

  SeededBytes(long bytes, long seed) {
    this.bytes = bytes;
    this.seed = seed;
  }

  /** The hex SHA-256 of everything written, once all of it was. */
  CompletableFuture<String> sha256() {
    return sha256;
  }

  @Override
  public void writeTo(OutputStream out, LongConsumer sent) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[CHUNK];
    for (long done = 0; done < bytes; ) {
      int n = (int) Math.min(chunk.length, bytes - done);
      random.nextBytes(chunk);
      sha.update(chunk, 0, n);
      out.write(chunk, 0, n);
      done += n;
      sent.accept(n);
    }
    out.flush();
    sha256.complete(HexFormat.of().formatHex(sha.digest()));
  }
}
