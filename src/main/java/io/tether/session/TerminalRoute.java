package io.tether.session;

import io.tether.access.AccessChanged;
import io.tether.access.AccessPolicy;
import io.tether.access.AccessRecheck;
import io.tether.access.Action;
import io.tether.access.Authenticator;
import io.tether.access.ClientAddress;
import io.tether.access.CredentialWatch;
import io.tether.access.OriginPolicy;
import io.tether.access.Principal;
import io.tether.access.TrustedProxies;
import io.tether.access.WebSessionCookie;
import io.tether.api.ApiException;
import io.tether.api.Problem;
import io.tether.api.SocketAdmission;
import io.tether.api.SocketQuota;
import io.tether.device.Device;
import io.tether.device.DeviceAccess;
import io.tether.relay.DeviceOwners;
import io.tether.relay.RelayAssertion;
import io.tether.relay.RelayDialer;
import io.tether.relay.RelayPurpose;
import io.tether.relay.RelayedEntry;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/devices/{id}/terminal?target=NAME}: the browser terminal's WebSocket, and {@code
 * /flow} its data flow twin. The session cookie authenticates and the Origin must be the portal's
 * own — or a bearer API token authenticates (tether connect) and no Origin is needed — and the
 * access policy must allow viewing the device — checked before the upgrade; whether the user may
 * also operate it (control the session, start one) travels in the {@link JoinRequest}.
 */
@ApplicationScoped
public class TerminalRoute implements RelayedEntry {
  public static final String PATH = "/api/devices/:id/terminal";

  /** View data flow: a read-only tail of a target's traffic, outside any session. */
  public static final String FLOW_PATH = "/api/devices/:id/flow";

  @Inject Authenticator authenticator;
  @Inject WebSessionCookie cookie;
  @Inject OriginPolicy origins;
  @Inject AccessPolicy policy;
  @Inject DeviceAccess deviceAccess;
  @Inject ClientAddress clientAddress;
  @Inject TrustedProxies proxies;
  @Inject SessionHubs hubs;
  @Inject CredentialWatch credentials;
  @Inject AccessRecheck recheck;
  @Inject Vertx vertx;
  @Inject SocketQuota quota;
  @Inject SocketAdmission admission;
  @Inject DeviceOwners owners;
  @Inject RelayDialer relay;

  private final Set<Revocable> sessions = ConcurrentHashMap.newKeySet();

  /** Each live socket's place in its user's quota, given back when it ends. */
  private final java.util.Map<Revocable, SocketQuota.Lease> leases = new ConcurrentHashMap<>();

  void register(@Observes Router router) {
    router.get(PATH).order(-100).handler(ctx -> handle(ctx, false));
    router.get(FLOW_PATH).order(-100).handler(ctx -> handle(ctx, true));
  }

  private void handle(RoutingContext ctx, boolean flow) {
    HttpServerRequest request = ctx.request();
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      Problem.send(ctx, 426, "this is the terminal endpoint: connect with a WebSocket");
      return;
    }
    // A client that authenticates with a bearer token (tether connect) needs no Origin: a web page
    // cannot set Authorization on a WebSocket, so a cross-site page can only ride on the cookie.
    String authorization = request.getHeader("Authorization");
    boolean bearer = authorization != null && !authorization.isBlank();
    if (!bearer
        && !origins.allows(
            request.getHeader("Origin"), proxies.https(request), request.getHeader("Host"))) {
      Problem.send(ctx, 403, "cross-origin terminal connections are refused");
      return;
    }
    String target = request.getParam("target");
    long deviceId;
    try {
      deviceId = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      Problem.send(ctx, 404, "no such device");
      return;
    }
    if (target == null || target.isBlank()) {
      Problem.send(ctx, 400, "target is required");
      return;
    }
    Cookie session = request.getCookie(cookie.name(proxies.https(request)));
    String sessionValue = session == null ? null : session.getValue();
    String address = clientAddress.of(request);
    SocketQuota.Kind kind = flow ? SocketQuota.Kind.FLOW : SocketQuota.Kind.TERMINAL;
    admission.admit(
        ctx,
        () -> admit(bearer ? authorization : null, sessionValue, deviceId, target, address),
        a -> a.who().userId(),
        kind,
        (a, lease) -> {
          if (a.owner().isPresent()) {
            relay.relay(
                ctx,
                a.owner().get(),
                a.who().principal(),
                address,
                new RelayDialer.Request(
                    flow ? RelayPurpose.FLOW : RelayPurpose.TERMINAL,
                    deviceId,
                    target,
                    "",
                    List.of()),
                lease::release);
          } else {
            open(ctx, a.who(), flow, lease);
          }
        });
  }

  /** Upgrades an admitted request and serves the socket here, in the target's session hub. */
  private void open(RoutingContext ctx, JoinRequest who, boolean flow, SocketQuota.Lease lease) {
    HttpServerRequest request = ctx.request();
    request
        .toWebSocket()
        .onFailure(e -> lease.release())
        .onSuccess(
            ws -> {
              if (flow) {
                FlowSocket f = new FlowSocket(ws, request.connection(), who.watching(), hubs, this);
                leases.put(f, lease);
                sessions.add(f);
                f.start();
                return;
              }
              TerminalSession t =
                  new TerminalSession(ws, request.connection(), Vertx.currentContext(), who, this);
              leases.put(t, lease);
              sessions.add(t);
              t.start();
            });
  }

  @Override
  public Set<RelayPurpose> purposes() {
    return EnumSet.of(RelayPurpose.TERMINAL, RelayPurpose.FLOW, RelayPurpose.SSH);
  }

  /**
   * A terminal or data flow relayed from the node the user reached: the user and their rights are
   * read again here, and the socket is served as if the user had come to this node.
   */
  @Override
  public void accept(RoutingContext ctx, RelayAssertion a) {
    boolean flow = a.purpose() == RelayPurpose.FLOW;
    admission.admit(
        ctx,
        () -> admitRelayed(a),
        JoinRequest::userId,
        null, // counted by the node the user reached
        (who, lease) -> open(ctx, who, flow, lease));
  }

  /** Who may open, and whether the device's tunnel is on another node (then it is relayed). */
  record Admission(JoinRequest who, Optional<DeviceOwners.Owner> owner) {}

  @Transactional
  Admission admit(
      String authorization, String sessionValue, long deviceId, String target, String address) {
    Principal p =
        authenticator
            .authenticate(authorization, sessionValue)
            .orElseThrow(() -> ApiException.unauthorized("sign in first"));
    return new Admission(join(p, deviceId, target, address, door(p)), owners.remote(deviceId));
  }

  /** The door a terminal socket came in by: an API token is tether connect, a cookie a browser. */
  private static String door(Principal p) {
    return p.via() == Principal.Via.API_TOKEN ? "cli" : "browser";
  }

  /**
   * Another front door's terminal (the SSH server): admitted exactly as a browser's — the right to
   * view to join, to operate to control — with {@code via} naming the door. An ApiException (404 or
   * 403) when the principal may not view the device.
   */
  @Transactional
  public JoinRequest admitTerminal(
      Principal p, long deviceId, String target, String address, String via) {
    return join(p, deviceId, target, address, via);
  }

  @Transactional
  JoinRequest admitRelayed(RelayAssertion a) {
    Principal p =
        authenticator
            .current(a.principal())
            .filter(now -> now.userId() == a.userId())
            .orElseThrow(() -> ApiException.unauthorized("the session has ended: sign in again"));
    String via = a.purpose() == RelayPurpose.SSH ? "ssh" : door(p);
    return join(p, a.deviceId(), a.target(), a.clientAddress(), via);
  }

  private JoinRequest join(Principal p, long deviceId, String target, String address, String via) {
    Device device = deviceAccess.requireFreshOpen(p, Action.VIEW, deviceId);
    return new JoinRequest(
        device.id,
        device.name,
        target,
        device.targets.stream().anyMatch(t -> t.name().equals(target) && "serial".equals(t.kind())),
        p,
        p.username(),
        via,
        deviceAccess.may(p, Action.OPERATE, device),
        device.group.recording,
        address,
        JoinRequest.Mode.SHARE,
        policy.mayReplay(p, device.group.id),
        device.group.name);
  }

  /**
   * Re-asks the policy for a live terminal (rights may have shrunk), with the principal as it is
   * now: an ended credential, a disabled user or a dropped admin flag all count.
   */
  @Transactional
  public boolean stillAllowed(JoinRequest who) {
    Optional<Principal> now = authenticator.current(who.principal());
    if (now.isEmpty()) {
      return false;
    }
    try {
      Device device = deviceAccess.requireOpen(now.get(), Action.VIEW, who.deviceId());
      boolean operate = !who.mayControl() || deviceAccess.may(now.get(), Action.OPERATE, device);
      // a data flow shows typed input only with the replay right: losing it ends the flow
      boolean replay =
          !who.watchesFlow() || !who.mayReplay() || policy.mayReplay(now.get(), device.group.id);
      return operate && replay;
    } catch (ApiException e) {
      return false;
    }
  }

  SessionHubs hubs() {
    return hubs;
  }

  CredentialWatch credentials() {
    return credentials;
  }

  long touchIntervalNanos() {
    return authenticator.touchInterval().toNanos();
  }

  /** Activity on a live socket keeps its browser session alive (off the event loop). */
  void touch(Principal principal) {
    vertx.executeBlocking(
        () -> {
          authenticator.touch(principal);
          return null;
        },
        false);
  }

  void ended(Revocable t) {
    sessions.remove(t);
    SocketQuota.Lease lease = leases.remove(t);
    if (lease != null) {
      lease.release();
    }
  }

  /** Access changes reach open terminals within seconds: re-check each affected one. */
  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    for (Revocable t : sessions) {
      JoinRequest who = t.who();
      if (change.concerns(who.userId(), who.deviceId())) {
        recheck.recheck(
            () -> stillAllowed(who),
            false,
            () -> sessions.contains(t),
            allowed -> {
              if (!allowed) {
                t.revoke(change.reason());
              }
            });
      }
    }
  }
}
