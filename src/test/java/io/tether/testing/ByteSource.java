package io.tether.testing;

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
 * A loopback TCP server that writes to every connection endlessly and counts the bytes its writes
 * got rid of: with backpressure end to end, the count stalls once the reader stops reading.
 */
public final class ByteSource implements AutoCloseable {
  /** Small writes, so the count is never more than this ahead of what the kernel took. */
  private static final int CHUNK = 4 * 1024;

  /**
   * A fixed send buffer (Linux doubles it and stops autotuning it): the source's own kernel buffer
   * stays ~128 KiB instead of growing to tcp_wmem's maximum, so the count measures the path.
   */
  public static final int SEND_BUFFER = 64 * 1024;

  private final ServerSocket server;
  private final AtomicLong written = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "byte-source");
            t.setDaemon(true);
            return t;
          });

  private ByteSource(ServerSocket server) {
    this.server = server;
    threads.submit(this::acceptLoop);
  }

  public static ByteSource start() {
    try {
      return new ByteSource(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Bytes written so far, over all connections. */
  public long written() {
    return written.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        threads.submit(() -> write(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void write(Socket socket) {
    byte[] chunk = new byte[CHUNK];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    try (socket;
        OutputStream out = socket.getOutputStream()) {
      socket.setSendBufferSize(SEND_BUFFER);
      while (!Thread.currentThread().isInterrupted()) {
        out.write(chunk);
        written.addAndGet(chunk.length);
      }
    } catch (IOException ignored) {
      // the reader went away
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
