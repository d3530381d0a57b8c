package io.tether.deviceweb;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal HTTP/1.1 client over a loopback socket with a Host header of the test's choosing (the
 * JDK resolves no {@code *.localhost} names and will not send a custom Host). One request per
 * connection; the body is hashed as it streams, kept when small.
 */
public final class RawHttp {
  /** Bodies up to this size are kept for assertions; larger ones are only hashed. */
  static final int KEEP = 256 * 1024;

  /**
   * @param headNanos {@link System#nanoTime()} when the response head had arrived (time to first
   *     byte)
   */
  public record Response(
      int status, List<String[]> headers, byte[] body, String sha256, long length, long headNanos) {
    public Optional<String> header(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    public List<String> all(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A body to send: its length and a writer (streamed, never held whole). */
  public interface Body {
    long length();

    void writeTo(OutputStream out) throws IOException;
  }

  private RawHttp() {}

  public static Response send(
      int port, String host, String method, String path, Map<String, String> headers, Body body)
      throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host);
      head.append("\r\nConnection: close\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        head.append("Content-Length: ").append(body.length()).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        body.writeTo(out);
      }
      out.flush();
      return read(s.getInputStream(), method.equals("HEAD"));
    }
  }

  /** One browser connection kept alive: requests one after another, each answer read in turn. */
  public static final class KeepAlive implements AutoCloseable {
    private final Socket socket;
    private final String host;

    public KeepAlive(int port, String host) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(30_000);
      this.host = host;
    }

    public Response get(String path, Map<String, String> headers) throws IOException {
      StringBuilder head = new StringBuilder();
      head.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      OutputStream out = socket.getOutputStream();
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(socket.getInputStream(), false);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static Response read(InputStream in, boolean head) throws IOException {
    ResponseHead.Reader reader = new ResponseHead.Reader();
    byte[] buf = new byte[64 * 1024];
    ResponseHead h = null;
    Buffer rest = null;
    long headNanos = 0;
    while (h == null) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("connection closed before a response head");
      }
      Optional<ResponseHead> parsed = reader.feed(Buffer.buffer().appendBytes(buf, 0, n));
      if (parsed.isPresent() && parsed.get().status() != 100) {
        headNanos = System.nanoTime();
        h = parsed.get();
        rest = reader.rest();
      }
    }
    MessageDigest sha = sha256();
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    long[] length = {0};
    java.util.function.Consumer<Buffer> sink =
        b -> {
          byte[] bytes = b.getBytes();
          sha.update(bytes);
          length[0] += bytes.length;
          if (kept.size() < KEEP) {
            kept.write(bytes, 0, Math.min(bytes.length, KEEP - kept.size()));
          }
        };
    if (!head && h.status() != 204 && h.status() != 304 && h.status() != 101) {
      ChunkedDecoder chunks = h.chunked() ? new ChunkedDecoder() : null;
      long left = chunks == null ? h.contentLength() : -1;
      Buffer next = rest;
      while (true) {
        if (next.length() > 0) {
          if (chunks != null) {
            chunks.feed(next, sink);
            if (chunks.done()) {
              break;
            }
          } else {
            Buffer take = left >= 0 ? next.getBuffer(0, (int) Math.min(left, next.length())) : next;
            sink.accept(take);
            if (left >= 0) {
              left -= take.length();
              if (left == 0) {
                break;
              }
            }
          }
        } else if (left == 0) {
          break;
        }
        int n = in.read(buf);
        if (n < 0) {
          if (chunks != null || left > 0) {
            throw new IOException("body cut short");
          }
          break;
        }
        next = Buffer.buffer().appendBytes(buf, 0, n);
      }
    }
    return new Response(
        h.status(),
        new ArrayList<>(h.headers()),
        kept.toByteArray(),
        HexFormat.of().formatHex(sha.digest()),
        length[0],
        headNanos);
  }

  /**
   * Sends a WebSocket upgrade for {@code path} on {@code host} with {@code origin} and {@code
   * cookie} (none when null); answers the socket, its answer not yet read ({@link #readHead}).
   */
  public static Socket upgrade(int port, String host, String path, String origin, String cookie)
      throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(20_000);
    String req =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: "
            + origin
            + (cookie == null ? "" : "\r\nCookie: " + cookie)
            + "\r\n\r\n";
    s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
    return s;
  }

  /** An HTTP head up to its blank line (what arrived, when the peer closed before it). */
  public static String readHead(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.append((char) c);
    }
    return b.toString();
  }

  /** One short masked text frame, as a browser sends it. */
  public static void sendText(OutputStream out, String text) throws IOException {
    byte[] p = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    out.write(new byte[] {(byte) 0x81, (byte) (0x80 | p.length)});
    out.write(mask);
    for (int i = 0; i < p.length; i++) {
      out.write(p[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  /** One short unmasked text frame, as a server sends it. */
  public static String readText(InputStream in) throws IOException {
    int b0 = in.read();
    int len = in.read() & 0x7f;
    if (b0 != 0x81) {
      throw new IOException("not a text frame: first byte " + b0);
    }
    return new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
