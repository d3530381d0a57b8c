package io.tether.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay that delays every byte by half a round trip in each direction: a long link
 * (this kernel has no netem). Bytes in flight each way are bounded ({@link #MAX_IN_FLIGHT}); the
 * relay acknowledges at TCP level at once, so what the delay slows is what waits for an answer
 * through the path (credit, echoes), as on a real link with large TCP buffers.
 */
public final class DelayRelay implements AutoCloseable {
  /** Bytes held per direction: more than 100 ms of 300 MB/s. */
  static final int MAX_IN_FLIGHT = 64 << 20;

  private static final int CHUNK = 64 * 1024;

  private record Chunk(byte[] bytes, int length, long dueNanos) {}

  private final ServerSocket server;
  private final int targetPort;
  private final long oneWayNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "delay-relay");
            t.setDaemon(true);
            return t;
          });

  private DelayRelay(ServerSocket server, int targetPort, Duration roundTrip) {
    this.server = server;
    this.targetPort = targetPort;
    this.oneWayNanos = roundTrip.toNanos() / 2;
    threads.submit(this::acceptLoop);
  }

  /** A relay on a free loopback port to 127.0.0.1:{@code targetPort} adding {@code roundTrip}. */
  public static DelayRelay to(int targetPort, Duration roundTrip) {
    try {
      return new DelayRelay(
          new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort, roundTrip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        direction(client, upstream);
        direction(upstream, client);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** A reader that stamps each chunk and a writer that sends it when it is due. */
  private void direction(Socket from, Socket to) {
    LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Semaphore room = new Semaphore(MAX_IN_FLIGHT);
    threads.submit(
        () -> {
          try (InputStream in = from.getInputStream()) {
            while (true) {
              byte[] b = new byte[CHUNK];
              int n = in.read(b);
              if (n < 0) {
                break;
              }
              room.acquire(n);
              queue.add(new Chunk(b, n, System.nanoTime() + oneWayNanos));
            }
          } catch (IOException | InterruptedException e) {
            // one side went away
          }
          queue.add(new Chunk(null, -1, System.nanoTime() + oneWayNanos));
        });
    threads.submit(
        () -> {
          try (OutputStream out = to.getOutputStream()) {
            while (true) {
              Chunk c = queue.take();
              long wait = c.dueNanos() - System.nanoTime();
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
              if (c.length() < 0) {
                break;
              }
              out.write(c.bytes(), 0, c.length());
              room.release(c.length());
            }
          } catch (IOException | InterruptedException e) {
            // one side went away
          }
          closeQuietly(from);
          closeQuietly(to);
        });
  }

  @Override
  public void close() {
    closeQuietly(server);
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    threads.shutdownNow();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
