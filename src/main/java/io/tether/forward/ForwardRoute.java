package io.tether.forward;

import io.tether.access.AccessChanged;
import io.tether.access.AccessRecheck;
import io.tether.access.Authenticator;
import io.tether.access.ClientAddress;
import io.tether.access.CredentialWatch;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.api.Problem;
import io.tether.api.SocketAdmission;
import io.tether.api.SocketQuota;
import io.tether.audit.AsyncAudit;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.TunnelCloseCode;
import io.tether.relay.DeviceOwners;
import io.tether.relay.RelayAssertion;
import io.tether.relay.RelayDialer;
import io.tether.relay.RelayPurpose;
import io.tether.relay.RelayedEntry;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/forward?device=ID}: the WebSocket tether-cli multiplexes its forwarded TCP
 * connections over (the tunnel protocol's frames, the CLI opening channels). Authenticated with an
 * API token before the upgrade; every channel open asks the access policy again.
 */
@ApplicationScoped
public class ForwardRoute implements RelayedEntry {
  public static final String PATH = "/api/forward";

  @Inject Authenticator authenticator;
  @Inject ForwardCheck check;
  @Inject Tunnels tunnels;
  @Inject ClientAddress clientAddress;
  @Inject AsyncAudit audit;
  @Inject CredentialWatch credentials;
  @Inject AccessRecheck recheck;
  @Inject Vertx vertx;
  @Inject SocketQuota quota;
  @Inject SocketAdmission admission;
  @Inject ForwardConnector connector;
  @Inject DeviceOwners owners;
  @Inject RelayDialer relay;

  private final Set<ForwardSession> sessions = ConcurrentHashMap.newKeySet();

  /** Each live socket's place in its user's quota, given back when it ends. */
  private final java.util.Map<ForwardSession, SocketQuota.Lease> leases = new ConcurrentHashMap<>();

  void register(@Observes Router router) {
    router.get(PATH).order(-100).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String protocols = request.getHeader("Sec-WebSocket-Protocol");
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
        || protocols == null
        || !protocols.contains(ProtocolVersion.SUBPROTOCOL)) {
      Problem.send(
          ctx,
          400,
          "connect with a WebSocket, subprotocol "
              + ProtocolVersion.SUBPROTOCOL
              + " (tether-cli does)");
      return;
    }
    long deviceId;
    try {
      deviceId = Long.parseLong(request.getParam("device", ""));
    } catch (NumberFormatException e) {
      Problem.send(ctx, 400, "device must be a device id");
      return;
    }
    String address = clientAddress.of(request);
    String authorization = request.getHeader("Authorization");
    admission.admit(
        ctx,
        () -> admit(authorization, deviceId),
        a -> a.principal().userId(),
        SocketQuota.Kind.FORWARD,
        (a, lease) -> {
          if (a.owner().isPresent()) {
            relay.relay(
                ctx,
                a.owner().get(),
                a.principal(),
                address,
                new RelayDialer.Request(
                    RelayPurpose.FORWARD, deviceId, null, "", List.of(ProtocolVersion.SUBPROTOCOL)),
                lease::release);
          } else {
            open(ctx, a.principal(), deviceId, address, lease);
          }
        });
  }

  /** Who may forward, and whether the device's tunnel is on another node (then it is relayed). */
  record Admission(Principal principal, Optional<DeviceOwners.Owner> owner) {}

  private Admission admit(String authorization, long deviceId) {
    Principal p =
        authenticator
            .authenticate(authorization, null)
            .orElseThrow(() -> ApiException.unauthorized("wrong, expired or revoked API token"));
    Optional<DeviceOwners.Owner> owner = owners.remote(deviceId);
    check.check(p, deviceId, null, owner);
    return new Admission(p, owner);
  }

  /** Upgrades an admitted request and serves the forward socket on this node. */
  private void open(
      RoutingContext ctx, Principal p, long deviceId, String address, SocketQuota.Lease lease) {
    HttpServerRequest request = ctx.request();
    request
        .toWebSocket()
        .onFailure(e -> lease.release())
        .onSuccess(
            ws -> {
              ForwardSession session =
                  new ForwardSession(
                      ws, request.connection(), Vertx.currentContext(), p, deviceId, address, this);
              leases.put(session, lease);
              sessions.add(session);
              session.start();
            });
  }

  @Override
  public Set<RelayPurpose> purposes() {
    return EnumSet.of(RelayPurpose.FORWARD);
  }

  /**
   * A CLI forward relayed from the node the user reached: the token and the rights are read again
   * here (the device must be online on this node), and the socket is served as one of this node's.
   */
  @Override
  public void accept(RoutingContext ctx, RelayAssertion a) {
    admission.admit(
        ctx,
        () -> {
          Principal p =
              authenticator
                  .current(a.principal())
                  .filter(now -> now.userId() == a.userId())
                  .orElseThrow(
                      () -> ApiException.unauthorized("the API token was revoked or expired"));
          check.check(p, a.deviceId(), null);
          return p;
        },
        Principal::userId,
        null, // counted by the node the user reached
        (p, lease) -> open(ctx, p, a.deviceId(), a.clientAddress(), lease));
  }

  Tunnels tunnels() {
    return tunnels;
  }

  ForwardConnector connector() {
    return connector;
  }

  ForwardCheck check() {
    return check;
  }

  CredentialWatch credentials() {
    return credentials;
  }

  AsyncAudit audit() {
    return audit;
  }

  Vertx vertx() {
    return vertx;
  }

  void ended(ForwardSession session) {
    sessions.remove(session);
    SocketQuota.Lease lease = leases.remove(session);
    if (lease != null) {
      lease.release();
    }
    connector.closed(session);
  }

  /**
   * Access changes re-check each affected socket with its principal as it is now: an ended
   * credential closes the socket; lost rights on the device end its channels (new ones are refused
   * {@code access-revoked} on open) while the CLI keeps running.
   */
  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    for (ForwardSession s : sessions) {
      if (change.concerns(s.userId(), s.deviceId())) {
        recheck.recheck(
            () -> check.stillAllowed(s.principal(), s.deviceId()),
            null,
            () -> sessions.contains(s),
            allowed -> {
              if (allowed == null) {
                s.close(TunnelCloseCode.REVOKED.code(), "access revoked: " + change.reason());
              } else if (!allowed) {
                s.revokeChannels(change.reason());
              }
            });
      }
    }
  }
}
