package io.tether.relay;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.api.Problem;
import io.tether.boot.TetherConfig;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.ProtocolVersion;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The internal listener of a cluster node, at the host and port of {@code TETHER_NODE_URL}: never
 * the public port, never behind the balancer; TLS with the node's own certificate when that URL is
 * {@code https://}. It serves only relayed sockets, each opened with an assertion in the {@value
 * #ASSERTION_HEADER} header that {@link RelayGate} must accept.
 */
@ApplicationScoped
public class RelayListener {
  public static final String PATH_PREFIX = "/relay/v1/";

  /** The request header carrying the assertion. */
  public static final String ASSERTION_HEADER = "Tether-Relay";

  /** The largest WebSocket frame relayed: a tunnel-protocol frame, like the public port. */
  static final int MAX_FRAME = ProtocolLimits.HEADER_SIZE + ProtocolLimits.MAX_PAYLOAD;

  private static final Logger LOG = Logger.getLogger(RelayListener.class);

  @Inject TetherConfig config;
  @Inject Vertx vertx;
  @Inject RelayGate gate;
  @Inject Instance<RelayedEntry> entries;

  private final Map<RelayPurpose, RelayedEntry> byPurpose = new EnumMap<>(RelayPurpose.class);
  private HttpServer server;

  void onStart(@Observes @Priority(20) StartupEvent event) {
    Optional<String> nodeUrl = config.cluster().nodeUrl();
    if (nodeUrl.isEmpty()) {
      return;
    }
    for (RelayedEntry e : entries) {
      e.purposes().forEach(p -> byPurpose.put(p, e));
    }
    URI url = URI.create(nodeUrl.get());
    Router router = Router.router(vertx);
    router.get(PATH_PREFIX + ":purpose").handler(this::handle);
    router.route().handler(ctx -> Problem.send(ctx, 404, "this is a node's relay listener"));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(url.getHost())
            .setPort(port(url))
            .addWebSocketSubProtocol(ProtocolVersion.SUBPROTOCOL)
            .setMaxWebSocketFrameSize(MAX_FRAME)
            .setMaxWebSocketMessageSize(MAX_FRAME);
    if (https(url)) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(config.cluster().tlsCert().orElseThrow())
                  .setKeyPath(config.cluster().tlsKey().orElseThrow()));
    }
    server =
        vertx
            .createHttpServer(options)
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    LOG.infof("relay listener on %s (port %d)", url, server.actualPort());
  }

  void onStop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.close();
    }
  }

  static int port(URI url) {
    if (url.getPort() > 0) {
      return url.getPort();
    }
    return https(url) ? 443 : 80;
  }

  static boolean https(URI url) {
    return "https".equalsIgnoreCase(url.getScheme());
  }

  private void handle(RoutingContext ctx) {
    Optional<RelayPurpose> purpose = RelayPurpose.ofPath(ctx.request().path());
    RelayedEntry entry = purpose.map(byPurpose::get).orElse(null);
    if (entry == null) {
      Problem.send(ctx, 404, "no relayed entry " + ctx.request().path());
      return;
    }
    RelayAssertion assertion;
    try {
      assertion =
          gate.admit(
              ctx.request().getHeader(ASSERTION_HEADER),
              purpose.get(),
              ctx.request().remoteAddress().hostAddress());
    } catch (RelayGate.Refused e) {
      Problem.send(ctx, e.status(), "relay refused: " + e.getMessage());
      return;
    }
    entry.accept(ctx, assertion);
  }
}
