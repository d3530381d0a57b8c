package io.tether.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP target that greets every connection with one byte at once, then waits for the peer
 * to close; counts connections accepted and ended, so a bench can wait for a session's end.
 */
final class GreetingServer implements AutoCloseable {
  static final int GREETING = '>';

  /** How long a closed open may take to end at the target. */
  private static final Duration ENDS_WITHIN = Duration.ofSeconds(10);

  /** One way to open a connection to the greeter: nanoseconds from the request to the greeting. */
  interface Open {
    long open() throws Exception;
  }

  private final ServerSocket server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "greeter");
            t.setDaemon(true);
            return t;
          });
  private int accepted;
  private int ended;

  private GreetingServer(ServerSocket server) {
    this.server = server;
    threads.submit(this::acceptLoop);
  }

  static GreetingServer start() {
    try {
      return new GreetingServer(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  synchronized int accepted() {
    return accepted;
  }

  /** Waits until {@code count} connections have ended (the far side closed them). */
  synchronized void awaitEnded(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ended < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "only " + ended + " of " + count + " target connections ended within " + timeout);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * Up to {@code count} opens within {@code maxTime}, each begun once every earlier connection has
   * ended here (so each open is a new channel, never a join of a live one); their times.
   */
  long[] time(Open open, int count, Duration maxTime) throws Exception {
    long[] samples = new long[count];
    long deadline = System.nanoTime() + maxTime.toNanos();
    int n = 0;
    while (n < count && System.nanoTime() < deadline) {
      samples[n++] = open.open();
      awaitEnded(accepted(), ENDS_WITHIN); // the greeting came, so its connection is counted
    }
    return Arrays.copyOf(samples, n);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        synchronized (this) {
          accepted++;
        }
        threads.submit(() -> greet(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void greet(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.getOutputStream().write(GREETING);
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // nothing is expected; wait for the end
      }
    } catch (IOException ignored) {
      // the peer went away: that is the end too
    }
    synchronized (this) {
      ended++;
      notifyAll();
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
    threads.shutdownNow();
  }
}
