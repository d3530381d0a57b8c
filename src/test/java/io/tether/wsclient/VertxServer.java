package io.tether.wsclient;

import io.tether.protocol.ProtocolVersion;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.TimeUnit;

/** A real WebSocket server on loopback (Vert.x, tests only) that takes the Tether subprotocol. */
final class VertxServer implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  private VertxServer(HttpServerOptions options, Handler<ServerWebSocket> onSocket)
      throws Exception {
    options
        .addWebSocketSubProtocol(ProtocolVersion.SUBPROTOCOL)
        .setMaxWebSocketFrameSize(256 * 1024)
        .setMaxWebSocketMessageSize(1024 * 1024);
    server =
        vertx
            .createHttpServer(options)
            .webSocketHandler(onSocket)
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  static VertxServer start(Handler<ServerWebSocket> onSocket) throws Exception {
    return new VertxServer(new HttpServerOptions(), onSocket);
  }

  static VertxServer start(HttpServerOptions options, Handler<ServerWebSocket> onSocket)
      throws Exception {
    return new VertxServer(options, onSocket);
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return "ws://127.0.0.1:" + port() + "/tunnel";
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }
}
