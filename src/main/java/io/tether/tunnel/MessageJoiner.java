package io.tether.tunnel;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import java.nio.charset.StandardCharsets;

/**
 * Joins a tunnel socket's data frames into messages without the copy Vert.x's message handlers make
 * of every message: a message of one frame (what every agent sends) is passed on as the frame's own
 * bytes; the frames of a fragmented message are joined, at most {@link #MAX_MESSAGE} bytes, and a
 * longer one is an error, as Vert.x's own joining would make it. Control frames are Vert.x's.
 */
final class MessageJoiner {
  /** The largest message joined from fragments: Vert.x's default bound on a message. */
  static final int MAX_MESSAGE = 256 * 1024;

  private final TunnelSocket.Listener listener;
  private Buffer partial;
  private boolean partialIsText;

  MessageJoiner(TunnelSocket.Listener listener) {
    this.listener = listener;
  }

  void onFrame(WebSocketFrame frame) {
    WebSocketFrameType type = frame.type();
    if (type == WebSocketFrameType.BINARY || type == WebSocketFrameType.TEXT) {
      partial = null;
      partialIsText = type == WebSocketFrameType.TEXT;
      if (frame.isFinal()) {
        deliver(frame.binaryData(), partialIsText);
        return;
      }
      partial = Buffer.buffer();
    } else if (type != WebSocketFrameType.CONTINUATION || partial == null) {
      return; // a control frame, or a continuation of nothing
    }
    Buffer data = frame.binaryData();
    if (partial.length() + data.length() > MAX_MESSAGE) {
      partial = null;
      listener.onError(
          new IllegalStateException("a fragmented message longer than " + MAX_MESSAGE + " bytes"));
      return;
    }
    partial.appendBuffer(data);
    if (frame.isFinal()) {
      Buffer message = partial;
      partial = null;
      deliver(message, partialIsText);
    }
  }

  private void deliver(Buffer message, boolean text) {
    if (text) {
      listener.onText(message.toString(StandardCharsets.UTF_8));
    } else {
      listener.onBinary(message);
    }
  }
}
