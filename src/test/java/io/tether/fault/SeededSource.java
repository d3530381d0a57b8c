package io.tether.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device-side TCP target that writes {@code bytes} pseudo-random bytes (from a seed) to the first
 * connection, counting what its writes got rid of, and completes with their SHA-256.
 */
final class SeededSource implements AutoCloseable {
  /** Small writes: the count is never more than this ahead of what the kernel took. */
  private static final int CHUNK = 16 * 1024;

  /**
   * A fixed send buffer (no autotuning): the source's own kernel buffer stays small, so the count
   * measures what the path between it and the consumer holds.
   */
  private static final int SEND_BUFFER = 64 * 1024;

  private final ServerSocket server;
  private final AtomicLong written = new AtomicLong();
  private final CompletableFuture<String> sha256 = new CompletableFuture<>();

  private SeededSource(ServerSocket server, long bytes, long seed) {
    this.server = server;
    Thread t = new Thread(() -> serve(bytes, seed), "seeded-source");
    t.setDaemon(true);
    t.start();
  }

  static SeededSource start(long bytes, long seed) {
    try {
      return new SeededSource(
          new ServerSocket(0, 1, InetAddress.getLoopbackAddress()), bytes, seed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  long written() {
    return written.get();
  }

  /** Completes with the hex SHA-256 of everything written, once all of it was. */
  CompletableFuture<String> sha256() {
    return sha256;
  }

  private void serve(long bytes, long seed) {
    try (Socket socket = server.accept();
        OutputStream out = socket.getOutputStream()) {
      socket.setSendBufferSize(SEND_BUFFER);
      SplittableRandom random = new SplittableRandom(seed);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] chunk = new byte[CHUNK];
      for (long done = 0; done < bytes; ) {
        int n = (int) Math.min(chunk.length, bytes - done);
        random.nextBytes(chunk);
        sha.update(chunk, 0, n);
        out.write(chunk, 0, n);
        done += n;
        written.addAndGet(n);
      }
      out.flush();
      sha256.complete(HexFormat.of().formatHex(sha.digest()));
    } catch (IOException | NoSuchAlgorithmException e) {
      sha256.completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
