package io.tether.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/** Keystrokes: one byte written, its echo awaited, timed; over one connection to an echo port. */
final class EchoProbe implements AutoCloseable {
  private final Socket socket = new Socket();
  private final InputStream in;
  private final OutputStream out;
  private int sent;

  EchoProbe(int port) throws IOException {
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /**
   * Round trips of one byte each, at most {@code count} or for {@code maxTime}; their durations in
   * nanoseconds (as many as fitted in the time). Fails if an echo is not the byte sent.
   */
  long[] roundTrips(int count, Duration maxTime) throws IOException {
    long[] samples = new long[count];
    long deadline = System.nanoTime() + maxTime.toNanos();
    int n = 0;
    while (n < count && System.nanoTime() < deadline) {
      int b = (sent++ * 31 + 7) & 0xff;
      long t0 = System.nanoTime();
      out.write(b);
      int echoed = in.read();
      samples[n++] = System.nanoTime() - t0;
      if (echoed != b) {
        throw new AssertionError(
            "echo " + echoed + " for the byte " + b + " (round trip " + n + ")");
      }
    }
    return Arrays.copyOf(samples, n);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
