package io.tether.deviceweb;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A device's own web server, as the test's stand-in for a router's or device server's page: a login
 * that sets a cookie, an absolute redirect, HTTP Basic on one path, a 20 MiB download (chunked) and
 * upload (hashed), a WebSocket echo, and {@code /hold}, which answers only when the test says (to
 * count the connections the device serves at once). Reached only through a real agent.
 */
public final class DeviceWebApp implements AutoCloseable {
  public static final int BIG = 20 * 1024 * 1024;
  static final String BASIC =
      "Basic " + java.util.Base64.getEncoder().encodeToString("user:pass".getBytes());

  private final Vertx vertx = Vertx.vertx();
  private final java.util.concurrent.atomic.AtomicInteger connections =
      new java.util.concurrent.atomic.AtomicInteger();
  private final HttpServer server;
  private HttpServer secure;

  /** {@code /hold}: answers wait here until {@link #releaseHeld}; how many at once, at most. */
  private final java.util.List<io.vertx.core.http.HttpServerResponse> held =
      new java.util.ArrayList<>();

  private int mostHeld;
  private boolean holding = true;

  public DeviceWebApp() throws Exception {
    server =
        vertx
            .createHttpServer()
            .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
            .connectionHandler(c -> connections.incrementAndGet())
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  /**
   * Serves the same pages over TLS with a new self-signed certificate, on the port it had (a device
   * that got a new certificate), or a free one the first time.
   */
  public int serveTls() throws Exception {
    int port = 0;
    if (secure != null) {
      port = secure.actualPort();
      secure.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    var cert =
        io.tether.testing.SelfSignedCertificate.create(
            io.tether.testing.Build.workDir("device-web-cert"), "127.0.0.1");
    secure =
        vertx
            .createHttpServer(
                new io.vertx.core.http.HttpServerOptions()
                    .setSsl(true)
                    .setKeyCertOptions(
                        new io.vertx.core.net.PemKeyCertOptions()
                            .setCertPath(cert.certificate().toString())
                            .setKeyPath(cert.privateKey().toString())))
            .requestHandler(this::handle)
            .listen(port, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return secure.actualPort();
  }

  /** How many connections the plain server has accepted (keep-alive reuse shows here). */
  public int connections() {
    return connections.get();
  }

  /** The device's own address, as its agent's target names it. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  private void handle(HttpServerRequest r) {
    var res = r.response();
    switch (r.path()) {
      case "/" -> res.putHeader("Content-Type", "text/html").end("<h1>device home</h1>");
      case "/login" ->
          r.body()
              .onSuccess(
                  body -> {
                    boolean right = body.toString().equals("user=admin&password=secret");
                    if (!right) {
                      res.setStatusCode(403).end("wrong password");
                      return;
                    }
                    res.setStatusCode(302)
                        .putHeader("Location", "http://" + address() + "/home?from=login");
                    res.headers()
                        .add("Set-Cookie", "devsess=abc; Path=/; Domain=web.localhost")
                        .add("Set-Cookie", HeaderRules.COOKIE + "=forged; Path=/")
                        .add("Set-Cookie", "tether_session=forged; Path=/");
                    res.end();
                  });
      case "/home" -> {
        String cookies = r.getHeader("Cookie");
        boolean in = cookies != null && cookies.contains("devsess=abc");
        res.setStatusCode(in ? 200 : 401)
            .end(
                (in ? "welcome" : "not logged in")
                    + "\ncookies: "
                    + cookies
                    + "\nhost: "
                    + r.getHeader("Host"));
      }
      case "/basic" -> {
        if (BASIC.equals(r.getHeader("Authorization"))) {
          res.end("basic ok");
        } else {
          res.setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"device\"").end();
        }
      }
      case "/download" -> {
        res.setChunked(true);
        String size = r.getParam("bytes");
        write(res, 0, size == null ? BIG : Integer.parseInt(size));
      }
      case "/upload" -> {
        MessageDigest sha = RawHttp.sha256();
        long[] n = {0};
        r.handler(
            b -> {
              sha.update(b.getBytes());
              n[0] += b.length();
            });
        r.endHandler(v -> res.end(n[0] + " " + HexFormat.of().formatHex(sha.digest())));
      }
      case "/hold" -> hold(res);
      case "/cors" -> {
        // firmware that lets any origin read it with credentials: the portal must not let it
        String origin = r.getHeader("Origin");
        if (origin != null) {
          res.putHeader("Access-Control-Allow-Origin", origin)
              .putHeader("Access-Control-Allow-Credentials", "true");
        }
        res.end("device secret");
      }
      default -> res.setStatusCode(404).end("no such page");
    }
  }

  private synchronized void hold(io.vertx.core.http.HttpServerResponse res) {
    if (!holding) {
      res.end("not held");
      return;
    }
    held.add(res);
    mostHeld = Math.max(mostHeld, held.size());
  }

  /** How many {@code /hold} requests wait now. */
  public synchronized int held() {
    return held.size();
  }

  /** The most {@code /hold} requests that ever waited at once (connections the device served). */
  public synchronized int mostHeld() {
    return mostHeld;
  }

  /** Answers every waiting {@code /hold} request, and every later one at once. */
  public synchronized void releaseHeld() {
    holding = false;
    held.forEach(r -> r.end("held"));
    held.clear();
  }

  /** Streams the pattern's first {@code size} bytes under the response's backpressure. */
  private static void write(io.vertx.core.http.HttpServerResponse res, int from, int size) {
    int at = from;
    while (at < size && !res.writeQueueFull()) {
      int n = Math.min(64 * 1024, size - at);
      res.write(Buffer.buffer(pattern(at, n)));
      at += n;
    }
    if (at >= size) {
      res.end();
      return;
    }
    int next = at;
    res.drainHandler(v -> write(res, next, size));
  }

  /** The bytes at [from, from+n) of the pattern. */
  static byte[] pattern(long from, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      long x = from + i;
      b[i] = (byte) (x * 31 + (x >> 11));
    }
    return b;
  }

  /** An upload of {@link #BIG} bytes of the pattern, streamed. */
  public static RawHttp.Body patternBody() {
    return patternBody(BIG);
  }

  /** An upload of the pattern's first {@code size} bytes, streamed. */
  public static RawHttp.Body patternBody(int size) {
    return new RawHttp.Body() {
      @Override
      public long length() {
        return size;
      }

      @Override
      public void writeTo(java.io.OutputStream out) throws java.io.IOException {
        for (int at = 0; at < size; at += 65536) {
          out.write(pattern(at, Math.min(65536, size - at)));
        }
      }
    };
  }

  public static String patternSha() {
    return patternSha(BIG);
  }

  /** The SHA-256 of the pattern's first {@code size} bytes (a download of {@code ?bytes=size}). */
  public static String patternSha(int size) {
    MessageDigest sha = RawHttp.sha256();
    for (int at = 0; at < size; at += 65536) {
      sha.update(pattern(at, Math.min(65536, size - at)));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public void close() {
    vertx.close();
  }
}
