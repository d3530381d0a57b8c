package io.tether.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread reading an endless {@link Pattern} stream from a port (checking every byte) until closed
 * or {@code maxTime} is up: the bulk transfer beside a measurement. It reads as fast as it can, or
 * no faster than a given pace: a consumer (a slow disk, a link) rather than the machine's CPU
 * limiting the transfer, the channel's window always full.
 */
final class BulkReader implements AutoCloseable {
  private final Socket socket = new Socket();
  private final Thread thread;
  private final Duration maxTime;
  private final long bytesPerSecond;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile long bytes;
  private volatile boolean exact = true;
  private volatile long startedAt;
  private volatile long stoppedAt;
  private volatile IOException failure;
  private volatile boolean closing;

  private BulkReader(int port, Duration maxTime, long bytesPerSecond) {
    this.maxTime = maxTime;
    this.bytesPerSecond = bytesPerSecond;
    this.thread = new Thread(() -> run(port), "bulk-reader");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts reading from 127.0.0.1:{@code port}; returns once the first bytes arrived. */
  static BulkReader start(int port, Duration maxTime) throws InterruptedException {
    return start(port, maxTime, Long.MAX_VALUE);
  }

  /** As {@link #start(int, Duration)}, reading no more than {@code bytesPerSecond} on average. */
  static BulkReader start(int port, Duration maxTime, long bytesPerSecond)
      throws InterruptedException {
    BulkReader reader = new BulkReader(port, maxTime, bytesPerSecond);
    if (!reader.started.await(30, TimeUnit.SECONDS)) {
      reader.close();
      throw new AssertionError("the bulk stream did not start within 30 s");
    }
    if (reader.failure != null) {
      throw new AssertionError("the bulk stream failed: " + reader.failure, reader.failure);
    }
    return reader;
  }

  private void run(int port) {
    byte[] buffer = new byte[256 * 1024];
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      long deadline = System.nanoTime() + maxTime.toNanos();
      long done = 0;
      while (System.nanoTime() < deadline) {
        int n = in.read(buffer);
        if (n < 0) {
          throw new IOException("the bulk stream ended after " + done + " bytes");
        }
        if (done == 0) {
          startedAt = System.nanoTime();
          started.countDown();
        }
        if (!Pattern.matches(buffer, n, done)) {
          exact = false;
        }
        done += n;
        bytes = done;
        pace(done);
      }
    } catch (IOException e) {
      if (!closing) {
        failure = e;
      }
    } finally {
      stoppedAt = System.nanoTime();
      started.countDown();
    }
  }

  /** Sleeps while more than the pace allows has been read since the first bytes. */
  private void pace(long done) {
    if (bytesPerSecond == Long.MAX_VALUE) {
      return;
    }
    long due = startedAt + (long) (done * 1e9 / bytesPerSecond);
    long ahead = due - System.nanoTime();
    if (ahead > 0) {
      LockSupport.parkNanos(ahead);
    }
  }

  /** MB/s so far (or until it stopped). */
  double megabytesPerSecond() {
    long end = thread.isAlive() ? System.nanoTime() : stoppedAt;
    return bytes / 1e6 / Math.max(1e-3, (end - startedAt) / 1e9);
  }

  /** Fails unless every byte was right and the stream ran until closed. */
  void assertSound() {
    if (failure != null) {
      throw new AssertionError("the bulk stream failed: " + failure, failure);
    }
    if (!exact) {
      throw new AssertionError("the bulk stream's bytes differ from the bytes sent");
    }
    if (!thread.isAlive()) {
      throw new AssertionError("the bulk stream stopped before the measurement ended");
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
