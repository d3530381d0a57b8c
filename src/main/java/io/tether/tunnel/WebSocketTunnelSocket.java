package io.tether.tunnel;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/** An agent's upgraded Vert.x WebSocket as a {@link TunnelSocket}. */
final class WebSocketTunnelSocket implements TunnelSocket {
  private final ServerWebSocket ws;

  WebSocketTunnelSocket(ServerWebSocket ws) {
    this.ws = ws;
  }

  /**
   * Also bounds the write queue ({@link TunnelSettings#SOCKET_WRITE_QUEUE}). Messages are joined by
   * a {@link MessageJoiner}, not by Vert.x's message handlers, which copy every message once more.
   */
  @Override
  public void listen(Listener listener) {
    ws.setWriteQueueMaxSize(TunnelSettings.SOCKET_WRITE_QUEUE);
    ws.frameHandler(new MessageJoiner(listener)::onFrame);
    ws.closeHandler(
        v -> {
          Short code = ws.closeStatusCode();
          listener.onClosed(code == null ? null : Integer.valueOf(code), ws.closeReason());
        });
    ws.exceptionHandler(listener::onError);
  }

  @Override
  public void write(Buffer frame) {
    ws.writeBinaryMessage(frame);
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable drained) {
    ws.drainHandler(v -> drained.run());
  }

  @Override
  public Future<Void> close(int code, String reason) {
    return ws.close((short) code, reason);
  }
}
