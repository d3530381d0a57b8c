package io.tether.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP proxy for CONNECT only, as a corporate proxy: it answers 407 with {@code
 * Proxy-Authenticate: Basic} until a request carries {@code Proxy-Authorization: Basic} with the
 * expected user and password, then tunnels to 127.0.0.1 (never anywhere else). It records the
 * credentials it saw.
 */
public final class ConnectProxy implements AutoCloseable {
  /** Request heads larger than this are refused: the proxy only reads CONNECT lines. */
  private static final int MAX_HEAD = 16 * 1024;

  private final ServerSocket server;
  private final String expected;
  private final List<String> seenCredentials = new CopyOnWriteArrayList<>();
  private final AtomicInteger challenges = new AtomicInteger();
  private final AtomicInteger tunnels = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "proxy");
            t.setDaemon(true);
            return t;
          });

  private ConnectProxy(ServerSocket server, String user, String password) {
    this.server = server;
    this.expected = user + ":" + password;
    threads.submit(this::acceptLoop);
  }

  public static ConnectProxy start(String user, String password) {
    try {
      return new ConnectProxy(
          new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), user, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Every user:password a client presented in Proxy-Authorization: Basic, decoded. */
  public List<String> seenCredentials() {
    return List.copyOf(seenCredentials);
  }

  /** 407 answers given (requests without acceptable credentials). */
  public int challenges() {
    return challenges.get();
  }

  /** CONNECT tunnels established. */
  public int tunnels() {
    return tunnels.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        threads.submit(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          break;
        }
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ");
        if (request.length < 3 || !request[0].equals("CONNECT")) {
          answer(out, "405 Method Not Allowed", "");
          break;
        }
        String credentials = basicCredentials(lines);
        if (credentials != null) {
          seenCredentials.add(credentials);
        }
        if (!expected.equals(credentials)) {
          challenges.incrementAndGet();
          answer(
              out,
              "407 Proxy Authentication Required",
              "Proxy-Authenticate: Basic realm=\"tether-test\"\r\n");
          continue; // the client may retry on this connection or on a new one
        }
        int colon = request[1].lastIndexOf(':');
        String host = request[1].substring(0, colon);
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
          answer(out, "403 Forbidden", "");
          break;
        }
        Socket upstream =
            new Socket(
                InetAddress.getLoopbackAddress(),
                Integer.parseInt(request[1].substring(colon + 1)));
        sockets.add(upstream);
        tunnels.incrementAndGet();
        out.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        threads.submit(() -> pump(upstream, client));
        pump(client, upstream);
        return;
      }
    } catch (IOException | RuntimeException e) {
      // client went away or spoke nonsense
    }
    closeQuietly(client);
  }

  private static String basicCredentials(String[] lines) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon)
              .trim()
              .toLowerCase(Locale.ROOT)
              .equals("proxy-authorization")) {
        String value = line.substring(colon + 1).trim();
        if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
          return new String(
              Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  private static void answer(OutputStream out, String status, String headers) throws IOException {
    out.write(
        ("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The request line and headers up to the blank line, or null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > MAX_HEAD) {
        throw new IOException("request head too large");
      }
    }
    return head.toString(StandardCharsets.US_ASCII).trim();
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (IOException ignored) {
      // one side went away
    }
    closeQuietly(from);
    closeQuietly(to);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
    sockets.forEach(ConnectProxy::closeQuietly);
    threads.shutdownNow();
  }
}
