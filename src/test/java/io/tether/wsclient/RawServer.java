package io.tether.wsclient;

import io.tether.protocol.ProtocolVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written HTTP server for one connection: reads the upgrade request and writes the answer a
 * test chooses (a refusal, a wrong accept key, or a real 101), then hands over the socket.
 */
final class RawServer implements AutoCloseable {
  private static final Pattern KEY = Pattern.compile("(?i)Sec-WebSocket-Key: *(\\S+)");

  private final ServerSocket server;
  final CompletableFuture<Socket> accepted = new CompletableFuture<>();
  final CompletableFuture<String> request = new CompletableFuture<>();

  /** {@code answer} maps the request's Sec-WebSocket-Key to the whole HTTP answer. */
  RawServer(int receiveBuffer, Function<String, String> answer) throws IOException {
    server = new ServerSocket();
    if (receiveBuffer > 0) {
      server.setReceiveBufferSize(receiveBuffer);
    }
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t =
        new Thread(
            () -> {
              try {
                Socket s = server.accept();
                String head = readHead(s.getInputStream());
                request.complete(head);
                Matcher m = KEY.matcher(head);
                String key = m.find() ? m.group(1) : "";
                s.getOutputStream().write(answer.apply(key).getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                accepted.complete(s);
              } catch (IOException e) {
                accepted.completeExceptionally(e);
                request.completeExceptionally(e);
              }
            },
            "raw-server");
    t.setDaemon(true);
    t.start();
  }

  /** The answer of a server that accepts the upgrade. */
  static String accepting(String key) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: "
        + Upgrade.accept(key)
        + "\r\nSec-WebSocket-Protocol: "
        + ProtocolVersion.SUBPROTOCOL
        + "\r\n\r\n";
  }

  String url() {
    return "ws://127.0.0.1:" + server.getLocalPort() + "/tunnel";
  }

  /** The request line and headers; lines read byte by byte so no body byte is consumed. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    String line;
    do {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("request ended early");
        }
        bytes.write(b);
      }
      line = bytes.toString(StandardCharsets.ISO_8859_1).stripTrailing();
      head.append(line).append("\r\n");
    } while (!line.isEmpty());
    return head.toString();
  }

  @Override
  public void close() throws IOException {
    server.close();
    if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
      accepted.join().close();
    }
  }
}
