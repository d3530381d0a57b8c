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
import java.util.function.LongConsumer;

/**
 * A loopback TCP server standing in for a device-side target that talks first: it writes {@link
 * Content} to every connection and counts the bytes its writes got rid of. With backpressure end to
 * end, the count stalls once the reader stops reading.
 */
public final class ByteSource implements AutoCloseable {
  /** What one connection is sent; the connection is closed when it returns. */
  @FunctionalInterface
  public interface Content {
    /** Writes to {@code out}, reporting each write's length to {@code sent} once it returned. */
    void writeTo(OutputStream out, LongConsumer sent) throws IOException;
  }

  /**
   * A fixed send buffer (Linux doubles it and stops autotuning it): the source's own kernel buffer
   * stays ~128 KiB instead of growing to tcp_wmem's maximum, so the count measures the path.
   */
  public static final int SMALL_SEND_BUFFER = 64 * 1024;

  /** Leave the send buffer to the kernel's autotuning (throughput measurements). */
  public static final int AUTOTUNED = 0;

  /**
   * Small writes of the endless source, so its count is never far ahead of what the kernel took.
   */
  private static final int ENDLESS_CHUNK = 4 * 1024;

  private final ServerSocket server;
  private final Content content;
  private final int sendBuffer;
  private final AtomicLong written = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "byte-source");
            t.setDaemon(true);
            return t;
          });

  private ByteSource(ServerSocket server, Content content, int sendBuffer) {
    this.server = server;
    this.content = content;
    this.sendBuffer = sendBuffer;
    threads.submit(this::acceptLoop);
  }

  /** Writes a fixed 4 KiB chunk endlessly, through a small send buffer. */
  public static ByteSource start() {
    byte[] chunk = new byte[ENDLESS_CHUNK];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    return start(
        (out, sent) -> {
          while (!Thread.currentThread().isInterrupted()) {
            out.write(chunk);
            sent.accept(chunk.length);
          }
        },
        SMALL_SEND_BUFFER);
  }

  /** Writes {@code content} to every connection, with a send buffer of {@code sendBuffer} bytes. */
  public static ByteSource start(Content content, int sendBuffer) {
    try {
      return new ByteSource(
          new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), content, sendBuffer);
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
        threads.submit(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket;
        OutputStream out = socket.getOutputStream()) {
      if (sendBuffer != AUTOTUNED) {
        socket.setSendBufferSize(sendBuffer);
      }
      content.writeTo(out, written::addAndGet);
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
