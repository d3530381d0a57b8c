package io.tether.bench.sim;

import io.tether.agent.Backoff;
import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.Hello;
import io.tether.protocol.Messages;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.Reason;
import io.tether.protocol.TargetKind;
import io.tether.protocol.TunnelCloseCode;
import io.tether.protocol.Welcome;
import io.vertx.core.Context;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * One simulated agent, owned by its event-loop context: the agent's handshake (token headers,
 * subprotocol, HELLO with a stable instance id), its heartbeat (PING at the portal's interval, PONG
 * for every PING, abort when the portal is silent past dead-after) and its reconnect rules (the
 * agent's own {@link Backoff}, the same waits for revoked, duplicate and shutting-down).
 */
final class SimulatedDevice {
  /** {@code Agent.REVOKED_WAIT}: a 401 or revoked token is retried rarely. */
  static final Duration REVOKED_WAIT = Duration.ofMinutes(5);

  /** {@code Agent.DUPLICATE_WAIT}. */
  static final Duration DUPLICATE_WAIT = Duration.ofSeconds(60);

  /** {@code FrameSocket.CONNECT_TIMEOUT}: TCP plus the HTTP upgrade. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  private static final String RETRY_AFTER = "retry-after=";

  private final int index;
  private final String token;
  private final Context context;
  private final WebSocketClient client;
  private final WebSocketConnectOptions options;
  private final SimStats stats;
  private final Backoff backoff = new Backoff(ThreadLocalRandom.current());
  private WebSocket ws;
  private Welcome welcome;
  private long connectedAt;
  private long lastReceived;
  private long heartbeatTimer = -1;
  private long nonce;

  SimulatedDevice(
      int index,
      String token,
      Context context,
      WebSocketClient client,
      String host,
      int port,
      String path,
      SimStats stats) {
    this.index = index;
    this.token = token;
    this.context = context;
    this.client = client;
    this.stats = stats;
    this.options =
        new WebSocketConnectOptions()
            .setHost(host)
            .setPort(port)
            .setURI(path)
            .addSubProtocol(ProtocolVersion.SUBPROTOCOL)
            .addHeader("Authorization", "Bearer " + token)
            .addHeader("X-Tether-Token", token)
            .setConnectTimeout(CONNECT_TIMEOUT.toMillis())
            .setTimeout(CONNECT_TIMEOUT.toMillis());
  }

  /** Starts the first connect on this device's context. */
  void start() {
    context.runOnContext(v -> connect());
  }

  private void connect() {
    stats.attempts.increment();
    stats.connecting.incrementAndGet();
    client
        .connect(options)
        .onComplete(
            ar -> {
              stats.connecting.decrementAndGet();
              if (ar.succeeded()) {
                opened(ar.result());
              } else {
                retryIn(refusedDelay(ar.cause()));
              }
            });
  }

  private void opened(WebSocket socket) {
    ws = socket;
    connectedAt = System.nanoTime();
    lastReceived = connectedAt;
    welcome = null;
    socket.binaryMessageHandler(
        b -> {
          try {
            onFrame(FrameCodec.decode(b.getBytes()));
          } catch (ProtocolException e) {
            socket.close((short) e.closeCode().code(), e.getMessage());
          }
        });
    socket.exceptionHandler(e -> {}); // the close handler follows and says how it ended
    socket.closeHandler(
        v -> {
          Short code = socket.closeStatusCode();
          ended(code == null ? 1006 : code, socket.closeReason());
        });
    Hello hello =
        new Hello(
            ProtocolVersion.CURRENT,
            "sim-0.1.0",
            "sim-" + index,
            List.of(new Hello.Target("console", TargetKind.TCP, "simulated")));
    send(Frame.control(FrameType.HELLO, hello.encode()));
  }

  private void onFrame(Frame frame) throws ProtocolException {
    lastReceived = System.nanoTime();
    if (welcome == null) {
      if (frame.type() != FrameType.WELCOME) {
        throw new ProtocolException("expected WELCOME, got " + frame.type());
      }
      welcome = Welcome.decode(frame.payload());
      stats.welcomed.increment();
      stats.online.incrementAndGet();
      heartbeatTimer = context.owner().setPeriodic(welcome.heartbeatMillis(), id -> heartbeat());
      return;
    }
    switch (frame.type()) {
      case PING ->
          send(Frame.control(FrameType.PONG, Messages.nonce(Messages.nonce(frame.payload()))));
      case OPEN ->
          // an idle device: nothing behind its target (the portal side sees a refusal)
          send(
              Frame.channel(
                  FrameType.REFUSED,
                  frame.channel(),
                  new Reason(Reason.TARGET_UNAVAILABLE, "a simulated device").encode()));
      default -> {
        // PONG, and channel frames of channels this device never opened: nothing to do
      }
    }
  }

  private void heartbeat() {
    long silentMillis = (System.nanoTime() - lastReceived) / 1_000_000;
    if (silentMillis > welcome.deadAfterMillis()) {
      ws.close((short) TunnelCloseCode.HEARTBEAT_TIMEOUT.code(), "nothing heard from the portal");
    } else {
      send(Frame.control(FrameType.PING, Messages.nonce(++nonce)));
    }
  }

  private void send(Frame frame) {
    if (ws != null && !ws.isClosed()) {
      ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(FrameCodec.encode(frame)));
    }
  }

  private void ended(int code, String reason) {
    if (heartbeatTimer >= 0) {
      context.owner().cancelTimer(heartbeatTimer);
      heartbeatTimer = -1;
    }
    if (welcome != null) {
      stats.online.decrementAndGet();
    }
    stats.closed(code);
    ws = null;
    backoff.connectionEnded(Duration.ofNanos(System.nanoTime() - connectedAt));
    retryIn(closeDelay(code, reason == null ? "" : reason));
  }

  /** {@code Agent.closeDelay}: the portal's close code decides the wait. */
  private Duration closeDelay(int code, String reason) {
    if (code == TunnelCloseCode.REVOKED.code()) {
      return backoff.requested(REVOKED_WAIT);
    }
    if (code == TunnelCloseCode.DUPLICATE_AGENT.code()) {
      return backoff.requested(DUPLICATE_WAIT);
    }
    if (code == TunnelCloseCode.SHUTTING_DOWN.code() && reason.startsWith(RETRY_AFTER)) {
      try {
        return backoff.requested(
            Duration.ofSeconds(Long.parseLong(reason.substring(RETRY_AFTER.length()).trim())));
      } catch (NumberFormatException e) {
        return backoff.next();
      }
    }
    return backoff.next();
  }

  /** {@code Agent.refusedDelay}: 401 waits long, 503 its Retry-After, everything else backs off. */
  private Duration refusedDelay(Throwable cause) {
    if (cause instanceof UpgradeRejectedException rejected) {
      stats.failed("http" + rejected.getStatus());
      if (rejected.getStatus() == 401) {
        return backoff.requested(REVOKED_WAIT);
      }
      if (rejected.getStatus() == 503) {
        // Agent.retryAfter: a busy portal's Retry-After (seconds, 1 if unreadable)
        String header =
            rejected.getHeaders() == null ? null : rejected.getHeaders().get("Retry-After");
        long seconds;
        try {
          seconds = Math.max(1, Math.min(Long.parseLong(String.valueOf(header).trim()), 300));
        } catch (NumberFormatException e) {
          seconds = 1;
        }
        return backoff.requested(Duration.ofSeconds(seconds));
      }
    } else if (cause instanceof ConnectException) {
      // Netty's ConnectTimeoutException is a ConnectException too: a SYN nobody answered
      stats.failed(
          cause.getClass().getSimpleName().contains("Timeout") ? "connect-timeout" : "connect");
    } else if (cause instanceof TimeoutException
        || String.valueOf(cause.getMessage()).contains("timed out")
        || String.valueOf(cause.getMessage()).contains("timeout")) {
      stats.failed("timeout");
    } else if (String.valueOf(cause.getMessage()).contains("closed while handshake")) {
      // how Vert.x reports its own request timeout: the portal did not answer the upgrade in time
      stats.failed("upgrade-timeout");
    } else {
      String message = String.valueOf(cause.getMessage()).replaceAll("[^A-Za-z0-9]+", "-");
      stats.failed(
          cause.getClass().getSimpleName()
              + "-"
              + message.substring(0, Math.min(32, message.length())));
    }
    return backoff.next();
  }

  private void retryIn(Duration delay) {
    stats.waiting.incrementAndGet();
    context
        .owner()
        .setTimer(
            Math.max(1, delay.toMillis()),
            id -> {
              stats.waiting.decrementAndGet();
              connect();
            });
  }

  String token() {
    return token;
  }
}
