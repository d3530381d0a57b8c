package io.tether.tunnel;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * What a tunnel needs of its WebSocket: one binary message per frame out, a bounded write queue
 * with a drain signal, a close with code and reason, and the socket's events in. The Vert.x socket
 * in production ({@link WebSocketTunnelSocket}), a fake in unit tests.
 */
interface TunnelSocket {
  /** The socket's events, delivered on the tunnel's context. */
  interface Listener {
    void onBinary(Buffer message);

    void onText(String message);

    /** The socket closed; {@code code} is null when the peer sent no close frame. */
    void onClosed(Integer code, String reason);

    void onError(Throwable error);
  }

  /** Starts delivering the socket's events to {@code listener}. */
  void listen(Listener listener);

  /** Writes one binary message (one frame). */
  void write(Buffer frame);

  /** True while the write queue is full: stop writing until {@link #onDrain} runs. */
  boolean writeQueueFull();

  /** Runs {@code drained} when the write queue has room again. */
  void onDrain(Runnable drained);

  /** Sends a close frame; completes once it is written (or the socket is gone). */
  Future<Void> close(int code, String reason);
}
