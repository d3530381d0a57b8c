package io.tether.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Connects to a port whose far end sends {@link Pattern}'s stream, reads it as fast as it can until
 * {@code maxBytes} or {@code maxTime} (whichever comes first), and checks every byte.
 */
final class PatternSink {
  private static final int BUFFER = 256 * 1024;

  /** One download: bytes read, from connect to the last byte, and whether all were right. */
  record Result(long bytes, long nanos, boolean exact, boolean ended) {
    double megabytesPerSecond() {
      return bytes / 1e6 / (nanos / 1e9);
    }

    @Override
    public String toString() {
      return String.format(
          "%d MiB in %d ms = %.0f MB/s%s%s",
          bytes >> 20,
          nanos / 1_000_000,
          megabytesPerSecond(),
          exact ? "" : " (BYTES DIFFER)",
          ended ? " (the stream ended early)" : "");
    }
  }

  private PatternSink() {}

  /** Reads from a new connection to 127.0.0.1:{@code port}; closes it afterwards. */
  static Result download(int port, long maxBytes, Duration maxTime) throws IOException {
    try (Socket socket = new Socket()) {
      long started = System.nanoTime();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      return read(socket, maxBytes, maxTime, started);
    }
  }

  /** Reads from {@code socket} (counting time from {@code started}, a nanoTime). */
  static Result read(Socket socket, long maxBytes, Duration maxTime, long started)
      throws IOException {
    // a read never blocks much past the deadline: a stalled path fails the run, not the build
    socket.setSoTimeout((int) Math.max(1000, maxTime.toMillis()));
    long deadline = started + maxTime.toNanos();
    byte[] buffer = new byte[BUFFER];
    InputStream in = socket.getInputStream();
    long done = 0;
    boolean exact = true;
    boolean ended = false;
    while (done < maxBytes && System.nanoTime() < deadline) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - done));
      if (n < 0) {
        ended = true;
        break;
      }
      exact &= Pattern.matches(buffer, n, done);
      done += n;
    }
    return new Result(done, System.nanoTime() - started, exact, ended);
  }
}
