package io.tether.testing;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.Hello;
import io.tether.protocol.Messages;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.TargetKind;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A device tunnel spoken by hand with java.net.http and the protocol classes: HELLO, WELCOME, PONG
 * for every PING (so the portal keeps it alive), and every other frame kept for the test to look
 * at. For tests that need many connections faster than agent JVMs start.
 */
public final class ScriptedAgent implements WebSocket.Listener {
  private final CompletableFuture<Frame> welcome = new CompletableFuture<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private volatile WebSocket ws;
  private volatile String closeReason = "";
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

  private ScriptedAgent() {}

  /** Connects with the device token and sends a HELLO offering one TCP target. */
  public static CompletableFuture<ScriptedAgent> connect(
      HttpClient client, URI tunnelUri, String token, String instanceId, String target) {
    return connect(
        client,
        tunnelUri,
        token,
        new Hello(
            ProtocolVersion.CURRENT,
            "raw-test",
            instanceId,
            List.of(new Hello.Target(target, TargetKind.TCP, "made by a test"))));
  }

  /**
   * A new installation (a random instance id) of the device at the portal {@code baseUrl} (http…),
   * offering one serial target, {@code console}; connected, not yet welcomed.
   */
  public static ScriptedAgent serialConsole(String baseUrl, String token) throws Exception {
    String base = baseUrl.replaceFirst("/$", "");
    return connect(
            HttpClient.newHttpClient(),
            URI.create(base.replaceFirst("^http", "ws") + "/tunnel"),
            token,
            new Hello(
                ProtocolVersion.CURRENT,
                "test",
                java.util.UUID.randomUUID().toString(),
                List.of(new Hello.Target("console", TargetKind.SERIAL, "a test port"))))
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Connects with the device token and sends {@code hello}. */
  public static CompletableFuture<ScriptedAgent> connect(
      HttpClient client, URI tunnelUri, String token, Hello hello) {
    return connect(client, tunnelUri, token, hello.encode());
  }

  /**
   * Connects with the device token and sends a HELLO with this payload, whatever it holds (even
   * what the encoder refuses to produce).
   */
  public static CompletableFuture<ScriptedAgent> connect(
      HttpClient client, URI tunnelUri, String token, byte[] hello) {
    ScriptedAgent tunnel = new ScriptedAgent();
    return client
        .newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .subprotocols(ProtocolVersion.SUBPROTOCOL)
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(tunnelUri, tunnel)
        .thenApply(
            ws -> {
              tunnel.ws = ws;
              tunnel.send(Frame.control(FrameType.HELLO, hello));
              return tunnel;
            });
  }

  /** Completes with the WELCOME (or fails when the portal closes first). */
  public CompletableFuture<Frame> welcome() {
    return welcome;
  }

  /** Completes with the close code, whoever closed. */
  public CompletableFuture<Integer> closed() {
    return closed;
  }

  public String closeReason() {
    return closeReason;
  }

  /** The next non-heartbeat frame from the portal, or null after {@code timeout}. */
  public Frame nextFrame(Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Queues a frame; the JDK allows one send in flight, so sends are chained. */
  public synchronized CompletableFuture<?> send(Frame frame) {
    ByteBuffer message = ByteBuffer.wrap(FrameCodec.encode(frame));
    lastSend = lastSend.handle((x, e) -> null).thenCompose(x -> ws.sendBinary(message, true));
    return lastSend;
  }

  /** Closes the WebSocket with a code and a reason of the agent's choosing. */
  public synchronized CompletableFuture<?> close(int code, String reason) {
    lastSend = lastSend.handle((x, e) -> null).thenCompose(x -> ws.sendClose(code, reason));
    return lastSend;
  }

  /** Drops the TCP connection without a close handshake, as a crashing agent would. */
  public void abort() {
    ws.abort();
    closed.complete(1006);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    partial.write(chunk, 0, chunk.length);
    if (last) {
      try {
        Frame frame = FrameCodec.decode(partial.toByteArray());
        switch (frame.type()) {
          case WELCOME -> welcome.complete(frame);
          case PING ->
              send(Frame.control(FrameType.PONG, Messages.nonce(Messages.nonce(frame.payload()))));
          default -> frames.add(frame);
        }
      } catch (ProtocolException e) {
        welcome.completeExceptionally(e);
      }
      partial.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason = reason;
    welcome.completeExceptionally(
        new IllegalStateException("closed before WELCOME: " + statusCode + " " + reason));
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    welcome.completeExceptionally(error);
    closed.complete(1006);
  }
}
