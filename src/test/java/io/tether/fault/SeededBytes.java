package io.tether.fault;

import io.tether.testing.ByteSource;
import io.tether.testing.Transfer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * {@code bytes} pseudo-random bytes from a seed ({@link Transfer#writeSeeded}), for a {@link
 * ByteSource}: completes with their SHA-256 once all of them were written.
 */
final class SeededBytes implements ByteSource.Content {
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
    sha256.complete(Transfer.writeSeeded(out, bytes, seed, sent));
  }
}
