package io.tether.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The loopback listener of a browser sign-in (RFC 8252, 7.3): on 127.0.0.1 and a port the system
 * picks, it waits for the portal's page to send the browser to {@code /callback?code=…&state=…}
 * with this sign-in's state, answers a page saying the tab may be closed, and hands the code over.
 * Requests without the state are answered and ignored: only the page this CLI opened knows it.
 */
final class LoopbackCallback implements AutoCloseable {
  /** A browser sends its request at once; a connection that stays silent is dropped. */
  static final int READ_TIMEOUT_MS = 10_000;

  /** The longest request line or header line read: a callback URL is well under 1 KiB. */
  static final int MAX_LINE = 8192;

  /** The answer of a callback: its code, or why the browser gave none (Cancel on the page). */
  record Answer(String code, String error) {}

  private final ServerSocket server;
  private final String state;
  private final CompletableFuture<Answer> answer = new CompletableFuture<>();

  private LoopbackCallback(ServerSocket server, String state) {
    this.server = server;
    this.state = state;
  }

  static LoopbackCallback listen(String state) throws IOException {
    ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    LoopbackCallback callback = new LoopbackCallback(server, state);
    Thread acceptor = new Thread(callback::serve, "login-callback");
    acceptor.setDaemon(true);
    acceptor.start();
    return callback;
  }

  int port() {
    return server.getLocalPort();
  }

  /** The browser's answer; a Failure when none came within {@code timeout}. */
  Answer await(Duration timeout) throws CliMain.Failure, InterruptedException {
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new CliMain.Failure(
          "the browser did not come back within "
              + timeout.toMinutes()
              + " minutes: run tether login again (--no-browser to paste a code instead)");
    } catch (ExecutionException e) {
      throw new CliMain.Failure("the sign-in listener failed: " + e.getCause().getMessage());
    }
  }

  private void serve() {
    while (!answer.isDone() && !server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(READ_TIMEOUT_MS);
        handle(s);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        // one broken connection (a port scan, a closed tab): keep waiting for the callback
      }
    }
  }

  private void handle(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    String requestLine = line(in);
    while (!line(in).isEmpty()) {
      // the headers say nothing we need
    }
    String[] parts = requestLine.split(" ");
    URI uri;
    try {
      uri = parts.length == 3 && parts[0].equals("GET") ? URI.create(parts[1]) : null;
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    OutputStream out = s.getOutputStream();
    if (uri == null || !"/callback".equals(uri.getPath())) {
      respond(out, 404, "Not found", "Nothing here.");
      return;
    }
    Map<String, String> query = query(uri.getRawQuery());
    String sent = query.getOrDefault("state", "");
    if (!MessageDigest.isEqual(
        sent.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
      respond(
          out,
          400,
          "Not this sign-in",
          "This answer is not for the tether login waiting here. Start again from the terminal.");
      return;
    }
    if (query.containsKey("code") && !query.get("code").isBlank()) {
      respond(
          out,
          200,
          "Signed in",
          "The tether command line has its sign-in. You can close this tab and go back to the"
              + " terminal.");
      answer.complete(new Answer(query.get("code"), null));
    } else {
      respond(out, 200, "Cancelled", "The sign-in was cancelled. You can close this tab.");
      answer.complete(new Answer(null, query.getOrDefault("error", "cancelled")));
    }
  }

  private static String line(BufferedReader in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (b.length() >= MAX_LINE) {
        throw new IOException("request line too long");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          m.putIfAbsent(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return m;
  }

  private static void respond(OutputStream out, int status, String title, String text)
      throws IOException {
    byte[] body =
        ("<!doctype html><meta charset=utf-8><title>"
                + title
                + " · tether</title><body style=\"font-family:sans-serif;margin:3em\"><h1>"
                + title
                + "</h1><p>"
                + text
                + "</p>")
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + (status == 200 ? " OK" : status == 400 ? " Bad Request" : " Not Found")
            + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
