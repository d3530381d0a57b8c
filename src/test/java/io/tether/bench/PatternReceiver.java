package io.tether.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The upload direction of P1: a device-side TCP target that reads {@link Pattern}'s stream from
 * each connection as fast as it can (checking every byte, timed from its accept to the last byte,
 * as {@link PatternSink} does), and a user side that writes the stream into a port that leads to it
 * (directly, through socat relays, or through a tether-cli forward).
 */
final class PatternReceiver implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  /** How long after its own deadline an upload may take to report before the run fails. */
  private static final Duration REPORT_SLACK = Duration.ofSeconds(30);

  private final ServerSocket server;
  private final BlockingQueue<PatternSink.Result> results = new LinkedBlockingQueue<>();
  private volatile long maxBytes;
  private volatile Duration maxTime;

  private PatternReceiver(ServerSocket server) {
    this.server = server;
    Thread t = new Thread(this::acceptLoop, "pattern-receiver");
    t.setDaemon(true);
    t.start();
  }

  static PatternReceiver start() {
    try {
      return new PatternReceiver(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * Writes the stream into a new connection to {@code port} until the receiver has read {@code
   * bytes} or {@code time} has passed; the receiver's view of that upload.
   */
  PatternSink.Result upload(int port, long bytes, Duration time) throws IOException {
    maxBytes = bytes;
    maxTime = time;
    results.clear();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      // the receiver's clock starts later (at its accept), so the writer must not stop first
      Thread writer =
          new Thread(() -> write(socket, bytes, time.plus(REPORT_SLACK)), "pattern-upload");
      writer.setDaemon(true);
      writer.start();
      PatternSink.Result result =
          results.poll(time.plus(REPORT_SLACK).toMillis(), TimeUnit.MILLISECONDS);
      if (result == null) {
        throw new IOException("the receiver reported nothing within " + time.plus(REPORT_SLACK));
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Until the bytes are out or the path closes (the receiver had enough and closed its end),
   * bounded by {@code time}.
   */
  private static void write(Socket socket, long bytes, Duration time) {
    long deadline = System.nanoTime() + time.toNanos();
    try {
      OutputStream out = socket.getOutputStream();
      for (long done = 0; done < bytes && System.nanoTime() < deadline; ) {
        int n = (int) Math.min(CHUNK, bytes - done);
        Pattern.write(out, done, n);
        done += n;
      }
      out.flush();
    } catch (IOException ignored) {
      // the receiver closed its end once it had read enough
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        long started = System.nanoTime();
        results.add(PatternSink.read(socket, maxBytes, maxTime, started));
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
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
