package io.tether.deviceweb;

import io.tether.protocol.Reason;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.DeviceChannel;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One browser request to a device page, over a channel of its own or one the session's previous
 * request kept open (HTTP/1.1 keep-alive, {@link IdleChannels}): the head is written by hand,
 * bodies are streamed both ways under credit (the device gets more only when the browser's socket
 * took what it sent), a WebSocket upgrade becomes a byte splice. Runs on the request's event loop.
 */
final class ProxyExchange implements ChannelConsumer {
  /** What an exchange needs from its route. */
  interface Host {
    /**
     * The exchange is over; bytes each way for the session. {@code kept}: its channel stays open
     * for the session's next request (it keeps its slot); null: the channel closed, its slot is
     * free.
     */
    void finished(ProxyExchange exchange, long up, long down, KeptChannel kept);

    /**
     * A kept channel ended before answering this exchange's request, which is safe to send again:
     * open a new channel for it (the slot stays the exchange's).
     */
    void reopen(ProxyExchange exchange);

    /** A WebSocket was spliced: it must close when the session's access ends. */
    void upgraded(ProxyExchange exchange);
  }

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Target target;
  private final Host host;
  private final io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
  private ResponseHead.Reader headReader = new ResponseHead.Reader();
  private DeviceChannel channel;
  private KeptChannel kept;
  private boolean reused;
  private boolean requestEnded;
  private boolean complete;
  private boolean requestChunked;
  private ResponseHead head;
  private ChunkedDecoder chunks;
  private long bodyLeft = -1;
  private NetSocket socket;
  private boolean finished;
  private long up;
  private long down;

  /** The device side of an exchange, as the route resolved it. */
  record Target(String origin, String deviceHost, String cookieToStrip, long sessionId) {}

  ProxyExchange(HttpServerRequest request, Target target, Host host) {
    this.request = request;
    this.response = request.response();
    this.target = target;
    this.host = host;
    request.connection().closeHandler(v -> abort("the browser closed the connection"));
  }

  HttpServerRequest request() {
    return request;
  }

  long sessionId() {
    return target.sessionId();
  }

  /** The consumer this exchange's new channel is opened with. */
  KeptChannel keep() {
    kept = new KeptChannel(this);
    reused = false;
    return kept;
  }

  /** Sends this exchange over a channel an earlier exchange of the session kept open. */
  void reuse(KeptChannel idle) {
    kept = idle;
    reused = true;
    idle.lend(this);
  }

  // --- device side ---

  @Override
  public void onOpened(DeviceChannel opened) {
    if (finished) {
      opened.close(new Reason(Reason.PEER_CLOSED, "the browser went away"));
      return;
    }
    channel = opened;
    write(Buffer.buffer(requestHead(), StandardCharsets.ISO_8859_1.name()));
    if (upgrade()) {
      return; // the body is the upgraded stream, once the device said 101
    }
    request.handler(
        data -> {
          up += data.length();
          if (requestChunked) {
            write(
                Buffer.buffer(Integer.toHexString(data.length()) + "\r\n")
                    .appendBuffer(data)
                    .appendString("\r\n"));
          } else {
            write(data);
          }
          if (channel.writeQueueFull()) {
            request.pause();
          }
        });
    request.endHandler(
        v -> {
          requestEnded = true;
          if (requestChunked) {
            write(Buffer.buffer("0\r\n\r\n"));
          }
        });
    if (request.isEnded()) {
      requestEnded = true; // no body, or a request sent again on a new channel
    }
    request.resume();
  }

  /** An https device presented another certificate than the pinned one: refused, both shown. */
  void refusedCertificate(String presented, String pinned) {
    fail(
        502,
        "The device's certificate changed",
        "It presented SHA-256 "
            + presented
            + " but "
            + (pinned == null ? "none could be pinned" : pinned + " is pinned")
            + ". If the device got a new certificate, an admin can accept it on the device's"
            + " page; otherwise someone may be in the middle.");
  }

  /** The page a refused channel gets: its status and title by the reason, the reason's words. */
  @Override
  public void onRefused(Reason reason) {
    switch (reason.code()) {
      case Reason.DEVICE_OFFLINE -> fail(502, "The device is offline", why(reason));
      case Reason.ACCESS_REVOKED -> fail(403, "Access to this device ended", why(reason));
      case Reason.TARGET_BUSY, Reason.LIMIT_EXCEEDED ->
          fail(503, "The device is busy", why(reason));
      default -> fail(502, "The device did not open its web page", why(reason));
    }
  }

  @Override
  public void onData(Buffer data, Runnable delivered) {
    down += data.length();
    if (finished) {
      delivered.run();
      return;
    }
    if (socket != null) {
      socket.write(data).onComplete(r -> delivered.run());
      return;
    }
    try {
      Future<Void> last = null;
      Buffer body = data;
      if (head == null) {
        Optional<ResponseHead> parsed = headReader.feed(data);
        if (parsed.isEmpty()) {
          delivered.run();
          return;
        }
        body = headReader.rest();
        if (!begin(parsed.get())) {
          if (socket != null && body.length() > 0) {
            socket.write(body).onComplete(r -> delivered.run());
          } else {
            delivered.run();
          }
          return;
        }
      }
      last = body(body);
      if (last == null) {
        delivered.run();
      } else {
        last.onComplete(r -> delivered.run());
      }
    } catch (IllegalArgumentException e) {
      delivered.run();
      fail(502, "The device's answer is not valid HTTP", e.getMessage());
    }
  }

  @Override
  public void onEof() {
    ended("the device closed the connection");
  }

  @Override
  public void onClosed(Reason reason) {
    ended(why(reason));
  }

  @Override
  public void onWritable() {
    if (socket != null) {
      socket.resume();
    } else if (!finished) {
      request.resume();
    }
  }

  // --- browser side ---

  /** {@link #abort} from any thread. */
  void abortLater(String why) {
    context.runOnContext(v -> abort(why));
  }

  /** Closes the exchange from the portal's side (access ended, portal stopping). */
  void abort(String why) {
    if (finished) {
      return;
    }
    if (!response.headWritten()) {
      fail(403, "Access to this device ended", why);
      return;
    }
    finish();
    if (socket != null) {
      socket.close();
    } else {
      request.connection().close();
    }
  }

  boolean upgrade() {
    return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
  }

  private String requestHead() {
    StringBuilder b = new StringBuilder();
    b.append(request.method().name())
        .append(' ')
        .append(clean(request.uri()))
        .append(" HTTP/1.1\r\n");
    b.append("Host: ").append(target.deviceHost()).append("\r\n");
    for (Map.Entry<String, String> h : request.headers()) {
      if (!HeaderRules.forwarded(h.getKey())) {
        continue;
      }
      String value = h.getValue();
      if (h.getKey().equalsIgnoreCase("Origin") && value.equalsIgnoreCase(target.origin())) {
        value = scheme() + "://" + target.deviceHost();
      }
      b.append(h.getKey()).append(": ").append(clean(value)).append("\r\n");
    }
    String cookies = HeaderRules.deviceCookies(request.getHeader("Cookie"));
    if (cookies != null) {
      b.append("Cookie: ").append(clean(cookies)).append("\r\n");
    }
    if (upgrade()) {
      b.append("Connection: Upgrade\r\nUpgrade: websocket\r\n");
      for (Map.Entry<String, String> h : request.headers()) {
        if (h.getKey().toLowerCase(Locale.ROOT).startsWith("sec-websocket-")) {
          b.append(h.getKey()).append(": ").append(clean(h.getValue())).append("\r\n");
        }
      }
    } else {
      String length = request.getHeader("Content-Length");
      String te = request.getHeader("Transfer-Encoding");
      if (length != null) {
        b.append("Content-Length: ").append(clean(length)).append("\r\n");
      } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
        requestChunked = true;
        b.append("Transfer-Encoding: chunked\r\n");
      }
    }
    return b.append("\r\n").toString();
  }

  private String scheme() {
    return target.origin().substring(0, target.origin().indexOf(':'));
  }

  /** Starts the browser's response; false when there is no HTTP body to follow (101, or done). */
  private boolean begin(ResponseHead h) {
    if (h.status() == 100 || (h.status() > 101 && h.status() < 200)) {
      return true; // an interim answer: the real head follows (read by the next feed)
    }
    head = h;
    if (h.status() == 101) {
      if (!upgrade()) {
        fail(502, "The device switched protocols unasked", "101 without an Upgrade request");
        return false;
      }
      headers(h);
      request.resume();
      request
          .toNetSocket()
          .onSuccess(
              s -> {
                socket = s;
                s.handler(
                    data -> {
                      up += data.length();
                      write(data);
                      if (channel.writeQueueFull()) {
                        s.pause();
                      }
                    });
                s.closeHandler(v -> ended("the browser closed the WebSocket"));
                host.upgraded(this);
              })
          .onFailure(e -> ended("upgrade failed: " + e.getMessage()));
      return false;
    }
    response.setStatusCode(h.status());
    if (!h.reason().isEmpty()) {
      response.setStatusMessage(clean(h.reason()));
    }
    headers(h);
    boolean noBody = request.method() == HttpMethod.HEAD || h.status() == 204 || h.status() == 304;
    if (noBody) {
      h.header("Content-Length").ifPresent(v -> response.putHeader("Content-Length", v));
      response.end();
      complete = true;
      finish();
      return false;
    }
    if (h.chunked()) {
      chunks = new ChunkedDecoder();
      response.setChunked(true);
    } else if (h.contentLength() >= 0) {
      bodyLeft = h.contentLength();
      response.putHeader("Content-Length", Long.toString(bodyLeft));
      if (bodyLeft == 0) {
        response.end();
        complete = true;
        finish();
        return false;
      }
    } else {
      response.setChunked(true); // until the device closes
    }
    return true;
  }

  private void headers(ResponseHead h) {
    for (String[] header : h.headers()) {
      String name = header[0];
      String value = header[1];
      if (name.equalsIgnoreCase("Set-Cookie")) {
        value = HeaderRules.setCookie(value);
      } else if (name.equalsIgnoreCase("Location")) {
        value = HeaderRules.location(value, target.deviceHost(), target.origin());
      } else if (h.status() == 101
          && (name.equalsIgnoreCase("Upgrade") || name.equalsIgnoreCase("Connection"))) {
        response.headers().add(name, value);
        continue;
      } else if (!HeaderRules.returned(name)) {
        continue;
      }
      if (value != null) {
        response.headers().add(name, value);
      }
    }
    response.putHeader("Referrer-Policy", "no-referrer");
  }

  /** Writes body bytes to the browser; the last write's future, null when none was written. */
  private Future<Void> body(Buffer data) {
    if (finished || data.length() == 0) {
      return null;
    }
    if (chunks != null) {
      java.util.concurrent.atomic.AtomicReference<Future<Void>> last =
          new java.util.concurrent.atomic.AtomicReference<>();
      int used = chunks.feed(data, slice -> last.set(response.write(slice)));
      if (chunks.done()) {
        response.end();
        complete = used == data.length(); // bytes past the body: out of step, not kept
        finish();
      }
      return last.get();
    }
    if (bodyLeft >= 0) {
      int take = (int) Math.min(bodyLeft, data.length());
      Future<Void> last = response.write(take == data.length() ? data : data.getBuffer(0, take));
      bodyLeft -= take;
      if (bodyLeft == 0) {
        response.end();
        complete = take == data.length();
        finish();
      }
      return last;
    }
    return response.write(data);
  }

  private void ended(String why) {
    if (finished) {
      return;
    }
    if (reused && head == null && headReader.isEmpty() && safeToSendAgain()) {
      // the device closed a kept connection as the request went out: send it on a new one
      kept.abandon();
      channel.close(new Reason(Reason.PEER_CLOSED, "closed while idle"));
      channel = null;
      reused = false;
      headReader = new ResponseHead.Reader();
      host.reopen(this);
      return;
    }
    if (socket != null) {
      finish();
      socket.close();
    } else if (head == null) {
      fail(502, "The device's web page did not answer", why);
    } else if (chunks == null && bodyLeft < 0) {
      response.end(); // a body that ends when the device closes
      finish();
    } else {
      finish();
      request.connection().close(); // cut short: the browser must not take it as complete
    }
  }

  private void fail(int status, String title, String why) {
    if (finished) {
      return;
    }
    if (!response.headWritten() && socket == null) {
      WebPages.send(response, status, title, why);
    } else if (socket != null) {
      socket.close();
    } else {
      request.connection().close();
    }
    finish();
  }

  private void write(Buffer data) {
    if (channel != null) {
      channel.write(data);
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      boolean keep = complete && requestEnded && socket == null && head.keepsAlive();
      if (channel != null && !keep) {
        channel.close(new Reason(Reason.PEER_CLOSED, "exchange finished"));
      }
      host.finished(this, up, down, keep && channel != null ? kept : null);
    }
  }

  /** A request with no body and no effect to repeat (RFC 9110's safe methods). */
  private boolean safeToSendAgain() {
    HttpMethod m = request.method();
    return up == 0
        && requestEnded
        && (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS);
  }

  private static String why(Reason reason) {
    return reason.toString();
  }

  /** No CR or LF from one side ever splits a header on the other. */
  private static String clean(String value) {
    return value.replace('\r', ' ').replace('\n', ' ');
  }
}
