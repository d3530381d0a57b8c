package io.tether.tunnel;

import io.tether.access.ClientAddress;
import io.tether.api.Problem;
import io.tether.audit.AsyncAudit;
import io.tether.audit.Audit;
import io.tether.cluster.Membership;
import io.tether.device.Device;
import io.tether.device.DeviceCredentials;
import io.tether.protocol.AgentCapabilities;
import io.tether.protocol.ProtocolVersion;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /tunnel}: authenticates the device token before the WebSocket upgrade (a bad token
 * gets HTTP 401, counted and audited), then hands the socket to the tunnels. A raw Vert.x route,
 * not websockets-next: the data plane needs the socket's write queue and drain handler.
 */
@ApplicationScoped
public class TunnelRoute {
  public static final String PATH = "/tunnel";

  /** Fallback token header for clients whose HTTP stack drops Authorization (see protocol.md). */
  static final String TOKEN_HEADER = "X-Tether-Token";

  /**
   * Token checks (a database query each) waiting or running at once. Beyond it a connecting device
   * is answered 503 at once instead of holding a socket and a paused request while the queue grows
   * past its own connect timeout (a reconnect storm on a slow start).
   */
  static final int MAX_CHECKS_IN_FLIGHT = 256;

  /** What a device refused with 503 is told to wait (plus its own jitter). */
  static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(2);

  private final AtomicInteger checking = new AtomicInteger();
  private final DeviceCredentials credentials;
  private final Tunnels tunnels;
  private final ClientAddress clientAddress;
  private final AsyncAudit audit;
  private final RefusalAuditThrottle refusalThrottle;
  private final Membership membership;

  @Inject
  public TunnelRoute(
      DeviceCredentials credentials,
      Tunnels tunnels,
      ClientAddress clientAddress,
      AsyncAudit audit,
      RefusalAuditThrottle refusalThrottle,
      Membership membership) {
    this.credentials = credentials;
    this.membership = membership;
    this.tunnels = tunnels;
    this.clientAddress = clientAddress;
    this.audit = audit;
    this.refusalThrottle = refusalThrottle;
  }

  void register(@Observes Router router) {
    router.get(PATH).order(-100).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      Problem.send(
          ctx,
          426,
          "this is the device tunnel endpoint: connect with a WebSocket (subprotocol "
              + ProtocolVersion.SUBPROTOCOL
              + ")");
      return;
    }
    String protocols = request.getHeader("Sec-WebSocket-Protocol");
    if (protocols == null || !protocols.contains(ProtocolVersion.SUBPROTOCOL)) {
      Problem.send(
          ctx,
          400,
          "request the WebSocket subprotocol "
              + ProtocolVersion.SUBPROTOCOL
              + " (this portal speaks protocol v"
              + ProtocolVersion.CURRENT
              + ")");
      return;
    }
    String address = clientAddress.of(request);
    String token = bearer(request.getHeader("Authorization"));
    String presented = token != null ? token : request.getHeader(TOKEN_HEADER);
    boolean upgradable =
        AgentCapabilities.offers(
            request.getHeader(AgentCapabilities.HEADER), AgentCapabilities.UPGRADE);
    if (tunnels.stopping()) {
      unavailable(ctx, "shutting-down", "the portal is shutting down");
      return;
    }
    Optional<String> notServing = membership.notServingBecause();
    if (notServing.isPresent()) {
      // another node takes it: the agent comes back through the balancer
      unavailable(ctx, "not-serving", notServing.get());
      return;
    }
    if (checking.incrementAndGet() > MAX_CHECKS_IN_FLIGHT) {
      checking.decrementAndGet();
      unavailable(ctx, "busy", "too many devices are connecting at once");
      return;
    }
    request.pause();
    ctx.vertx()
        .<Checked>executeBlocking(
            () -> {
              Optional<Device> device = credentials.verify(presented);
              return new Checked(
                  device, device.isPresent() ? membership.nextGeneration() : OptionalLong.empty());
            },
            false)
        .onComplete(
            result -> {
              checking.decrementAndGet();
              request.resume();
              if (result.failed()) {
                // the database could not answer: the token may be fine, so not a 401
                unavailable(ctx, "error", "the portal cannot check device tokens right now");
                return;
              }
              if (tunnels.stopping()) {
                // told to come back elsewhere or later: welcomed now, it would be audited after
                // the audit log's last write at shutdown
                unavailable(ctx, "shutting-down", "the portal is shutting down");
                return;
              }
              Optional<Device> device = result.result().device();
              OptionalLong generation = result.result().generation();
              if (device.isEmpty()) {
                refused(ctx, address, "bad-token");
                return;
              }
              DeviceIdentity identity =
                  new DeviceIdentity(device.get().id, device.get().name, device.get().group.id);
              request
                  .toWebSocket()
                  .onSuccess(
                      ws -> {
                        WebSocketTunnelSocket socket = new WebSocketTunnelSocket(ws);
                        if (generation.isPresent()) {
                          tunnels.accept(
                              socket, identity, address, generation.getAsLong(), upgradable);
                        } else {
                          tunnels.accept(socket, identity, address, upgradable);
                        }
                      })
                  .onFailure(e -> tunnels.metrics().refused("upgrade-failed"));
            });
  }

  /** A token check's answer: the device, and in a cluster the generation of its new route. */
  private record Checked(Optional<Device> device, OptionalLong generation) {}

  /** 503 with Retry-After: a transient refusal the agent retries after that delay. */
  private void unavailable(RoutingContext ctx, String reason, String detail) {
    tunnels.metrics().refused(reason);
    ctx.response().putHeader("Retry-After", Long.toString(BUSY_RETRY_AFTER.toSeconds()));
    Problem.send(ctx, 503, detail + "; retry in " + BUSY_RETRY_AFTER.toSeconds() + " s");
  }

  private void refused(RoutingContext ctx, String address, String reason) {
    tunnels.metrics().refused(reason);
    if (refusalThrottle.allow(address)) {
      audit.submit(
          Audit.by("device:unknown", null, address)
              .action("tunnel.refused")
              .outcome(Audit.DENIED)
              .detail("wrong, unknown or revoked device token"));
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tether\"");
    Problem.send(ctx, 401, "wrong, unknown or revoked device token");
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }
}
