package io.tether.link;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;

/**
 * The host program's end of a link participant: its TCP connection to this node's link port, or —
 * when it came to another node's port — that node's relayed WebSocket carrying its bytes as binary
 * messages.
 */
interface LinkClient {
  void handler(Handler<Buffer> input);

  void closeHandler(Handler<Void> closed);

  void pause();

  void resume();

  Future<Void> write(Buffer data);

  void close();

  static LinkClient of(NetSocket socket) {
    return new LinkClient() {
      @Override
      public void handler(Handler<Buffer> input) {
        socket.handler(input);
      }

      @Override
      public void closeHandler(Handler<Void> closed) {
        socket.closeHandler(closed);
      }

      @Override
      public void pause() {
        socket.pause();
      }

      @Override
      public void resume() {
        socket.resume();
      }

      @Override
      public Future<Void> write(Buffer data) {
        return socket.write(data);
      }

      @Override
      public void close() {
        socket.close();
      }
    };
  }

  static LinkClient of(ServerWebSocket relayed) {
    return new LinkClient() {
      @Override
      public void handler(Handler<Buffer> input) {
        relayed.binaryMessageHandler(input);
      }

      @Override
      public void closeHandler(Handler<Void> closed) {
        relayed.closeHandler(closed);
      }

      @Override
      public void pause() {
        relayed.pause();
      }

      @Override
      public void resume() {
        relayed.resume();
      }

      @Override
      public Future<Void> write(Buffer data) {
        return relayed.writeBinaryMessage(data);
      }

      @Override
      public void close() {
        relayed.close();
      }
    };
  }
}
