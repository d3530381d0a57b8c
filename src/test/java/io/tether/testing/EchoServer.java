package io.tether.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP echo server on loopback: a device-side TCP target for tests. */
public final class EchoServer implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService workers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "echo");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger accepted = new AtomicInteger();

  private EchoServer(ServerSocket server) {
    this.server = server;
    workers.submit(this::acceptLoop);
  }

  public static EchoServer start() {
    try {
      return new EchoServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public int acceptedConnections() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        workers.submit(() -> echo(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void echo(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (IOException ignored) {
      // peer went away
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
    workers.shutdownNow();
  }
}
