package io.tether.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * Pushes pseudo-random bytes through a socket whose far end echoes them, reading the echo at the
 * same time, and compares SHA-256 of what went out and what came back.
 */
public final class Transfer {
  /** What one echo transfer did. */
  public record Result(long bytes, String sentSha256, String receivedSha256, Duration took) {
    public boolean exact() {
      return sentSha256.equals(receivedSha256);
    }

    public double mebibytesPerSecond() {
      return bytes / 1048576.0 / Math.max(0.001, took.toNanos() / 1e9);
    }

    @Override
    public String toString() {
      return String.format(
          "%d MiB in %d ms (%.1f MiB/s)", bytes >> 20, took.toMillis(), mebibytesPerSecond());
    }
  }

  private static final int CHUNK = 64 * 1024;

  private Transfer() {}

  /**
   * Writes {@code bytes} random bytes (from {@code seed}) and reads as many back, within timeout.
   */
  public static Result echo(Socket socket, long bytes, long seed, Duration timeout)
      throws Exception {
    long started = System.nanoTime();
    CompletableFuture<String> sent =
        CompletableFuture.supplyAsync(() -> write(socket, bytes, seed), Transfer::ownThread);
    CompletableFuture<String> received =
        CompletableFuture.supplyAsync(() -> read(socket, bytes), Transfer::ownThread);
    try {
      String in = received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String out = sent.get(5, TimeUnit.SECONDS);
      return new Result(bytes, out, in, Duration.ofNanos(System.nanoTime() - started));
    } catch (TimeoutException e) {
      socket.close(); // ends both halves
      throw new AssertionError(
          "echo of " + (bytes >> 20) + " MiB did not finish within " + timeout);
    } catch (ExecutionException e) {
      throw new AssertionError("echo transfer failed: " + e.getCause(), e.getCause());
    }
  }

  /** Blocking socket I/O gets its own thread (the common pool may have just one on 2 cores). */
  private static void ownThread(Runnable r) {
    Thread t = new Thread(r, "transfer");
    t.setDaemon(true);
    t.start();
  }

  private static String write(Socket socket, long bytes, long seed) {
    try {
      return writeSeeded(socket.getOutputStream(), bytes, seed, n -> {});
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code bytes} pseudo-random bytes from {@code seed} to {@code out}, reporting each
   * write's length to {@code sent}; returns their hex SHA-256.
   */
  public static String writeSeeded(OutputStream out, long bytes, long seed, LongConsumer sent)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    MessageDigest sha = sha256();
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
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String read(Socket socket, long bytes) {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[CHUNK];
    try {
      InputStream in = socket.getInputStream();
      long done = 0;
      while (done < bytes) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, bytes - done));
        if (n < 0) {
          throw new IOException("end of stream after " + done + " of " + bytes + " bytes");
        }
        sha.update(buffer, 0, n);
        done += n;
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
