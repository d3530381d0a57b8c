package io.tether.wsclient;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.TunnelCloseCode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WebSocket to the portal carrying one frame per binary message. The JDK client allows one send
 * in flight, so sends are queued and chained; received messages are reassembled, decoded and handed
 * over one at a time (the next is requested only after the handler returned).
 */
public final class FrameSocket {
  /**
   * What the socket's owner hears, on the HTTP client's I/O thread (see {@link ClientTls}): a
   * handler must not block; it queues work or hands it to its own executor.
   */
  public interface Handler {
    void onFrame(Frame frame) throws ProtocolException;

    /** Called once, when the socket is closed by either side or fails. */
    void onClosed(int code, String reason);
  }

  /** Connecting gives up after this long (TCP, TLS, proxy and the HTTP upgrade). */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  private final Handler handler;
  private final ArrayDeque<ByteBuffer> sendQueue = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private WebSocket ws;
  private boolean sending;

  private FrameSocket(Handler handler) {
    this.handler = handler;
  }

  /**
   * The token header a client also sends: an HttpClient with an Authenticator (needed for proxy
   * Basic auth) silently drops a user-set Authorization header, so the portal accepts this one when
   * Authorization is absent.
   */
  public static final String TOKEN_HEADER = "X-Tether-Token";

  /** Connects with {@code Authorization: Bearer token} and the protocol's subprotocol. */
  public static CompletableFuture<FrameSocket> connect(
      HttpClient client, URI uri, String token, Handler handler) {
    FrameSocket socket = new FrameSocket(handler);
    return client
        .newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .header(TOKEN_HEADER, token)
        .subprotocols(ProtocolVersion.SUBPROTOCOL)
        .connectTimeout(CONNECT_TIMEOUT)
        .buildAsync(uri, socket.new Listener())
        .thenApply(
            ws -> {
              socket.ws = ws;
              return socket;
            });
  }

  /** Queues a frame; frames go out in order, one at a time. */
  public void send(Frame frame) {
    send(FrameCodec.encode(frame));
  }

  public void send(byte[] encodedFrame) {
    synchronized (sendQueue) {
      if (closed.get()) {
        return;
      }
      sendQueue.addLast(ByteBuffer.wrap(encodedFrame));
      if (sending) {
        return;
      }
      sending = true;
    }
    sendNext();
  }

  /**
   * Hands queued frames to the socket one at a time. A send that completed at once (common with the
   * client's same-thread executor) continues the loop here instead of recursing from its callback,
   * so a long queue cannot grow the stack.
   */
  private void sendNext() {
    while (true) {
      ByteBuffer next;
      synchronized (sendQueue) {
        next = sendQueue.pollFirst();
        if (next == null || closed.get()) {
          sending = false;
          return;
        }
      }
      CompletableFuture<WebSocket> sent = ws.sendBinary(next, true);
      if (sent.isDone() && !sent.isCompletedExceptionally()) {
        continue;
      }
      sent.whenComplete(
          (w, e) -> {
            if (e != null) {
              abort(1006, "send failed: " + e.getMessage());
            } else {
              sendNext();
            }
          });
      return;
    }
  }

  /** A clean close with a code and reason. */
  public void close(int code, String reason) {
    if (ws != null && !ws.isOutputClosed()) {
      ws.sendClose(code, reason).whenComplete((w, e) -> ws.abort());
    }
    finish(code, reason);
  }

  /** Drops the connection at once (a dead peer will not answer a close). */
  public void abort(int code, String reason) {
    if (ws != null) {
      ws.abort();
    }
    finish(code, reason);
  }

  private void finish(int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      synchronized (sendQueue) {
        sendQueue.clear();
      }
      handler.onClosed(code, reason);
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      if (partial.size() + data.remaining()
          > ProtocolLimits.HEADER_SIZE + ProtocolLimits.MAX_PAYLOAD) {
        close(TunnelCloseCode.FRAME_TOO_LARGE.code(), "message larger than a frame");
        return null;
      }
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.write(chunk, 0, chunk.length);
      if (last) {
        byte[] message = partial.toByteArray();
        partial.reset();
        try {
          handler.onFrame(FrameCodec.decode(message));
        } catch (ProtocolException e) {
          close(e.closeCode().code(), e.getMessage());
          return null;
        } catch (RuntimeException e) {
          close(TunnelCloseCode.PROTOCOL_ERROR.code(), "internal error: " + e);
          return null;
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      close(TunnelCloseCode.PROTOCOL_ERROR.code(), "text messages are not part of the protocol");
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      finish(statusCode, reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      finish(1006, String.valueOf(error.getMessage()));
    }
  }
}
