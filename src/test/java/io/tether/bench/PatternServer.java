package io.tether.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP server (a device-side target) that writes {@link Pattern}'s stream to every
 * connection: {@code bytesPerConnection} bytes then closes, or until the reader goes away.
 */
final class PatternServer implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  private final ServerSocket server;
  private final long bytesPerConnection;
  private final AtomicLong written = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pattern-server");
            t.setDaemon(true);
            return t;
          });

  private PatternServer(ServerSocket server, long bytesPerConnection) {
    this.server = server;
    this.bytesPerConnection = bytesPerConnection;
    threads.submit(this::acceptLoop);
  }

  /** A server writing {@code bytesPerConnection} bytes (Long.MAX_VALUE: endless) per connection. */
  static PatternServer start(long bytesPerConnection) {
    try {
      return new PatternServer(
          new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), bytesPerConnection);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /** Bytes written so far, over all connections. */
  long written() {
    return written.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        threads.submit(() -> write(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void write(Socket socket) {
    try (socket;
        OutputStream out = socket.getOutputStream()) {
      for (long done = 0; done < bytesPerConnection && !Thread.currentThread().isInterrupted(); ) {
        int n = (int) Math.min(CHUNK, bytesPerConnection - done);
        Pattern.write(out, done, n);
        done += n;
        written.addAndGet(n);
      }
    } catch (IOException ignored) {
      // the reader went away (a time-bounded run ends so)
    } finally {
      sockets.remove(socket);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    threads.shutdownNow();
  }
}
