package io.tether.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request over TLS from a chosen loopback address (127.0.0.2: a client the proxy sees
 * as someone other than itself), which java.net.http on Java 17 cannot bind.
 */
public final class LoopbackClient {
  /** What came back: the status and the raw header lines. */
  public record Answer(int status, List<String> headers, String body) {
    public List<String> header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return headers.stream()
          .filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(h -> h.substring(prefix.length()).trim())
          .toList();
    }
  }

  private LoopbackClient() {}

  public static Answer post(
      SSLContext tls, String from, int port, String path, String json, String forwardedFor)
      throws IOException {
    try (SSLSocket socket =
        (SSLSocket)
            tls.getSocketFactory()
                .createSocket(
                    InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
      socket.setSoTimeout(15_000);
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      String request =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
              + "X-Forwarded-For: "
              + forwardedFor
              + "\r\nContent-Length: "
              + body.length
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = raw.indexOf("\r\n\r\n");
      String[] lines = raw.substring(0, end < 0 ? raw.length() : end).split("\r\n");
      List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
      return new Answer(
          Integer.parseInt(lines[0].split(" ")[1]), headers, end < 0 ? "" : raw.substring(end + 4));
    }
  }
}
