package io.tether.tunnel;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.tether.protocol.ProtocolVersion;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/** Lets the HTTP server accept the tunnel's WebSocket subprotocol on plain and TLS ports. */
@ApplicationScoped
public class SubprotocolOptions implements HttpServerOptionsCustomizer {
  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    options.addWebSocketSubProtocol(ProtocolVersion.SUBPROTOCOL);
  }

  @Override
  public void customizeHttpsServer(HttpServerOptions options) {
    options.addWebSocketSubProtocol(ProtocolVersion.SUBPROTOCOL);
  }
}
