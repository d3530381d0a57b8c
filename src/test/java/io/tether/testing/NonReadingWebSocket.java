package io.tether.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that sends and never reads after the handshake: the portal's answers fill the
 * socket buffers and then its own write queue, like a hostile or hung client. Plain TCP with the
 * handshake written by hand, so nothing on this side drains the socket.
 */
public final class NonReadingWebSocket implements AutoCloseable {
  /** Frames are batched into writes of this size: a flood, not a typist. */
  private static final int BATCH = 64 * 1024;

  private final Socket socket;
  private final OutputStream out;
  private long sent;

  private NonReadingWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /**
   * Opens {@code path} on the portal at {@code baseUrl} with the user's cookie and the portal's own
   * Origin; fails unless the answer is 101. Small receive buffer: the portal's writes back up soon.
   */
  public static NonReadingWebSocket open(String baseUrl, String cookie, String path) {
    return openWithHeaders(baseUrl, path, "Origin: " + baseUrl + "\r\nCookie: " + cookie);
  }

  /**
   * Opens {@code path} with the given header lines (CRLF between them, none at the end); fails
   * unless the answer is 101.
   */
  public static NonReadingWebSocket openWithHeaders(String baseUrl, String path, String headers) {
    URI base = URI.create(baseUrl);
    try {
      Socket s = new Socket();
      s.setReceiveBufferSize(4096);
      s.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
      s.setSoTimeout(10_000);
      String key = Base64.getEncoder().encodeToString(new byte[16]);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + base.getHost()
              + ":"
              + base.getPort()
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
              + key
              + "\r\nSec-WebSocket-Version: 13\r\n"
              + headers
              + "\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String head = readHead(s.getInputStream());
      if (!head.startsWith("HTTP/1.1 101")) {
        s.close();
        throw new AssertionError("the upgrade of " + path + " was answered: " + head);
      }
      return new NonReadingWebSocket(s);
    } catch (IOException e) {
      throw new AssertionError("could not open " + path + ": " + e, e);
    }
  }

  /** Reads the HTTP answer's head byte by byte, so not one byte after it is consumed. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        break;
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /**
   * Sends {@code payload} as one masked frame ({@code opcode} 1 text, 2 binary), again and again,
   * until {@code wireBytes} went out or the portal closed the connection (a write fails).
   *
   * @return whether the portal closed the connection before everything was sent
   */
  public boolean floodUntilClosed(int opcode, byte[] payload, long wireBytes) {
    byte[] frame = frame(opcode, payload);
    byte[] batch = new byte[(BATCH / frame.length) * frame.length];
    for (int off = 0; off < batch.length; off += frame.length) {
      System.arraycopy(frame, 0, batch, off, frame.length);
    }
    // a write blocks while the portal does not read; a portal that neither reads nor closes would
    // block it for ever, so a watchdog closes the socket, and that does not count as closed
    java.util.concurrent.atomic.AtomicBoolean gaveUp =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.ScheduledExecutorService watchdog =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    watchdog.schedule(
        () -> {
          gaveUp.set(true);
          close();
        },
        FLOOD_TIMEOUT_SECONDS,
        java.util.concurrent.TimeUnit.SECONDS);
    try {
      while (sent < wireBytes) {
        out.write(batch);
        sent += batch.length;
      }
      out.flush();
      return false;
    } catch (IOException e) {
      if (gaveUp.get()) {
        throw new AssertionError(
            "the portal neither read nor closed the socket for "
                + FLOOD_TIMEOUT_SECONDS
                + " s ("
                + sent
                + " bytes sent)");
      }
      return true; // reset or broken pipe: the portal closed the socket
    } finally {
      watchdog.shutdownNow();
    }
  }

  /** How long a flood may block on a portal that stopped reading. */
  private static final long FLOOD_TIMEOUT_SECONDS = 60;

  /** Sends one frame; false when the portal has closed the connection. */
  public boolean send(int opcode, byte[] payload) {
    try {
      out.write(frame(opcode, payload));
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Bytes written so far. */
  public long sent() {
    return sent;
  }

  /**
   * Whether the portal closes the connection within {@code timeout}: reads (the flood is over) and
   * discards until end of stream or a reset. The last close frame's code, if one was seen, is in
   * {@link #closeCode()}.
   */
  public boolean closedWithin(java.time.Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    try {
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(1000);
      byte[] buf = new byte[64 * 1024];
      while (System.nanoTime() < end) {
        int n;
        try {
          n = in.read(buf);
        } catch (java.net.SocketTimeoutException e) {
          continue;
        }
        if (n < 0) {
          return true;
        }
        scanForClose(buf, n);
      }
      return false;
    } catch (IOException e) {
      return true; // reset: the portal closed the socket
    }
  }

  private int closeCode = -1;

  /** The close code of a close frame seen while draining (-1 when none was recognised). */
  public int closeCode() {
    return closeCode;
  }

  /** Looks for an unmasked close frame (0x88, length, code) in what was read: a heuristic. */
  private void scanForClose(byte[] buf, int n) {
    for (int i = 0; i + 3 < n; i++) {
      if ((buf[i] & 0xff) == 0x88 && (buf[i + 1] & 0xff) >= 2 && (buf[i + 1] & 0xff) < 126) {
        int code = ((buf[i + 2] & 0xff) << 8) | (buf[i + 3] & 0xff);
        if (code >= 4000 && code < 5000) {
          closeCode = code;
        }
      }
    }
  }

  /** One masked client frame with a payload below 126 bytes. */
  private static byte[] frame(int opcode, byte[] payload) {
    if (payload.length >= 126) {
      throw new IllegalArgumentException("short frames only");
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] f = new byte[2 + 4 + payload.length];
    f[0] = (byte) (0x80 | opcode);
    f[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, f, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      f[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return f;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
