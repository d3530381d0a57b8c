package io.tether.relay;

import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Two WebSockets joined frame by frame: text, binary and continuation frames pass unchanged (a
 * fragmented message stays fragmented, no payload is copied into a new message), control frames
 * stay with each connection. Each direction holds at most {@link #QUEUE_BYTES} unsent: the source
 * is paused until the sink drains, so a slow reader slows its writer through the relay exactly as
 * without it, and the end-to-end credit of the protocols inside is untouched. A close on either
 * side closes the other with the same code and reason.
 */
public final class WebSocketSplice {
  /** Bytes one direction may hold unsent before its source is paused. */
  static final int QUEUE_BYTES = 256 * 1024;

  /** Sent when one side vanished without a close frame (1005 and 1006 may not be sent). */
  static final short GONE = 1001;

  /** A close reason is at most 123 bytes of UTF-8 (RFC 6455, 5.5). */
  static final int MAX_REASON_BYTES = 123;

  private final Runnable ended;
  private boolean closed;

  private WebSocketSplice(Runnable ended) {
    this.ended = ended;
  }

  /**
   * Joins {@code a} and {@code b} (both on the calling event loop, either possibly paused so that
   * nothing it received before is lost); {@code ended} runs once when either closes.
   */
  public static void join(WebSocketBase a, WebSocketBase b, Runnable ended) {
    WebSocketSplice s = new WebSocketSplice(ended);
    s.pipe(a, b);
    s.pipe(b, a);
    a.resume();
    b.resume();
  }

  private void pipe(WebSocketBase from, WebSocketBase to) {
    to.setWriteQueueMaxSize(QUEUE_BYTES);
    from.frameHandler(frame -> forward(frame, from, to));
    from.closeHandler(v -> closed(from, to));
    from.exceptionHandler(e -> closed(from, to));
  }

  private void forward(WebSocketFrame frame, WebSocketBase from, WebSocketBase to) {
    if (closed
        || to.isClosed() // closed by its own side: its close handler ends the splice
        || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
      return;
    }
    to.writeFrame(frame);
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> from.resume());
    }
  }

  private void closed(WebSocketBase from, WebSocketBase to) {
    if (closed) {
      return;
    }
    closed = true;
    Short code = from.closeStatusCode();
    String reason = from.closeReason();
    if (code == null || code == 1005 || code == 1006) {
      to.close(GONE, "relay: the other side's connection ended");
    } else {
      to.close(code, clip(reason));
    }
    ended.run();
  }

  static String clip(String reason) {
    if (reason == null) {
      return null;
    }
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    int end = reason.length();
    while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
      end--;
    }
    return reason.substring(0, end);
  }
}
