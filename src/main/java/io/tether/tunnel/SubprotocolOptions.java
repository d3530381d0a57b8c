package io.tether.tunnel;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.ProtocolVersion;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Lets the HTTP server accept the tunnel's WebSocket subprotocol and its largest frame on plain and
 * TLS ports.
 */
@ApplicationScoped
public class SubprotocolOptions implements HttpServerOptionsCustomizer {
  /** One frame per message: the largest frame must fit one WebSocket frame and message. */
  static final int MAX_WEBSOCKET_FRAME = ProtocolLimits.HEADER_SIZE + ProtocolLimits.MAX_PAYLOAD;

  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    apply(options);
  }

  @Override
  public void customizeHttpsServer(HttpServerOptions options) {
    apply(options);
  }

  private static void apply(HttpServerOptions options) {
    options.addWebSocketSubProtocol(ProtocolVersion.SUBPROTOCOL);
    options.setMaxWebSocketFrameSize(
        Math.max(options.getMaxWebSocketFrameSize(), MAX_WEBSOCKET_FRAME));
    options.setMaxWebSocketMessageSize(
        Math.max(options.getMaxWebSocketMessageSize(), MAX_WEBSOCKET_FRAME));
  }
}
