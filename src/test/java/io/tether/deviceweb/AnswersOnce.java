package io.tether.deviceweb;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device web server that closes a kept-alive connection just as the next request arrives, as
 * embedded servers do when their idle timeout and a request cross: on each connection it answers
 * the first request ({@code answer N}, N counting connections), reads the second and closes without
 * a word.
 */
final class AnswersOnce implements AutoCloseable {
  private final ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();

  AnswersOnce() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "answers-once");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        int n = connections.incrementAndGet();
        Thread t = new Thread(() -> serve(s, n), "answers-once-" + n);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void serve(Socket s, int n) {
    try (s) {
      InputStream in = s.getInputStream();
      if (!readHead(in)) {
        return;
      }
      byte[] body = ("answer " + n).getBytes(StandardCharsets.US_ASCII);
      s.getOutputStream()
          .write(
              ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(body);
      s.getOutputStream().flush();
      readHead(in); // the next request: closed unanswered
    } catch (IOException e) {
      // the portal went away: nothing to answer
    }
  }

  /** Reads up to the blank line ending a request head; false when the connection ended first. */
  private static boolean readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
