package io.tether.deviceweb;

import io.tether.access.AccessChanged;
import io.tether.access.ClientAddress;
import io.tether.boot.WebDomain;
import io.tether.forward.RelayedChannel;
import io.tether.protocol.Reason;
import io.tether.relay.DeviceOwners;
import io.tether.relay.RelayDialer;
import io.tether.relay.RelayPurpose;
import io.tether.tunnel.ChannelConsumer;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Every request whose Host is under {@code TETHER_WEB_DOMAIN}: a device page, its launch, or 421
 * for a name that is no device page's. Runs before every portal route, so no portal page, API or
 * socket ever answers on a device's origin.
 */
@ApplicationScoped
public class DeviceWebRoute implements ProxyExchange.Host {
  private static final Logger LOG = Logger.getLogger(DeviceWebRoute.class);

  /** A device host's first label: {@code d-} and 26 base32 characters. */
  private static final Pattern LABEL = Pattern.compile("d-[0-9a-v]{26}");

  /**
   * A request is admitted on a check at most this old: every request re-checks the user, without a
   * database read per image; revocation events drop the cache at once.
   */
  static final long ADMISSION_CACHE_NANOS = 5_000_000_000L;

  @Inject WebDomainConfig config;
  @Inject DeviceWebSessions sessions;
  @Inject Tunnels tunnels;
  @Inject ClientAddress clientAddress;
  @Inject Vertx vertx;
  @Inject DeviceOwners owners;
  @Inject RelayDialer relay;

  @Inject ChannelLimits limits;

  private record Cached(DeviceWebSessions.Admitted admitted, long at) {}

  private final Map<String, Cached> admissions = new ConcurrentHashMap<>();

  /** Kept device connections between a session's requests. */
  private IdleChannels idleChannels;

  /** Live exchanges with what admitted them, to close on revocation. */
  private final Map<ProxyExchange, DeviceWebSessions.Admitted> live = new ConcurrentHashMap<>();

  private final Set<ProxyExchange> sockets = ConcurrentHashMap.newKeySet();

  @PostConstruct
  void createIdleChannels() {
    idleChannels = new IdleChannels(vertx);
  }

  void register(@Observes Router router) {
    if (config.domain().isPresent()) {
      router.route().order(Integer.MIN_VALUE).handler(this::handle);
    }
  }

  private void handle(RoutingContext ctx) {
    WebDomain domain = config.domain().orElseThrow();
    HttpServerRequest request = ctx.request();
    Optional<String> label = domain.labelOf(request.getHeader("Host"));
    if (label.isEmpty()) {
      ctx.next();
      return;
    }
    if (!LABEL.matcher(label.get()).matches()) {
      misdirected(request);
      return;
    }
    request.pause();
    String host = label.get().substring(2);
    if (request.path().equals(WebLaunchResource.LAUNCH_PATH)) {
      launch(request, host);
      return;
    }
    String cookie = cookie(request.getHeader("Cookie"));
    if (cookie == null) {
      refused(request, host, "Open this device's page from the portal (its Open button).");
      return;
    }
    String key = host + "/" + HexFormat.of().formatHex(DeviceWebSessions.hash(cookie));
    Cached hit = admissions.get(key);
    if (hit != null && System.nanoTime() - hit.at() < ADMISSION_CACHE_NANOS) {
      proxy(request, domain.origin(label.get()), hit.admitted(), cookie);
      return;
    }
    Context context = Vertx.currentContext();
    vertx
        .executeBlocking(() -> sessions.admit(cookie, host), false)
        .onComplete(
            r ->
                context.runOnContext(
                    v -> {
                      if (r.failed() || r.result().isEmpty()) {
                        admissions.remove(key);
                        refused(
                            request,
                            host,
                            "Your access to this device page ended (signed out, expired or"
                                + " revoked). Open it again from the portal.");
                        return;
                      }
                      admissions.put(key, new Cached(r.result().get(), System.nanoTime()));
                      proxy(request, domain.origin(label.get()), r.result().get(), cookie);
                    }));
  }

  private void launch(HttpServerRequest request, String host) {
    String token = request.getParam("t");
    String address = clientAddress.of(request);
    if (token == null || token.length() > 64) {
      refused(
          request, host, "This launch link is not valid. Open the device again from the portal.");
      return;
    }
    Context context = Vertx.currentContext();
    vertx
        .executeBlocking(() -> sessions.redeem(token, host, address), false)
        .onComplete(
            r ->
                context.runOnContext(
                    v -> {
                      if (r.failed() || r.result().isEmpty()) {
                        refused(
                            request,
                            host,
                            "This launch link was already used or has expired (they last 60"
                                + " seconds). Open the device again from the portal.");
                        return;
                      }
                      WebPages.launched(
                          request.response(),
                          HeaderRules.COOKIE
                              + "="
                              + r.result().get()
                              + "; Path=/; Secure; HttpOnly; SameSite=Strict");
                    }));
  }

  private void proxy(
      HttpServerRequest request, String origin, DeviceWebSessions.Admitted a, String cookie) {
    if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
        && !origin.equalsIgnoreCase(request.getHeader("Origin"))) {
      WebPages.send(
          request.response(),
          403,
          "WebSocket refused",
          "A device page's WebSocket is accepted only from its own origin.");
      return;
    }
    String foreign =
        HeaderRules.foreign(
            origin,
            request.getHeader("Origin"),
            request.getHeader("Sec-Fetch-Site"),
            request.getHeader("Sec-Fetch-Mode"));
    if (foreign != null) {
      WebPages.send(
          request.response(),
          403,
          "Request refused",
          "A device page answers only its own pages and the user's navigation, not "
              + foreign
              + ".");
      return;
    }
    ProxyExchange exchange =
        new ProxyExchange(
            request, new ProxyExchange.Target(origin, a.deviceHost(), cookie, a.sessionId()), this);
    live.put(exchange, a);
    Context context = Vertx.currentContext();
    KeptChannel idle =
        exchange.upgrade() ? null : idleChannels.take(IdleChannels.Key.of(a.sessionId()));
    if (idle != null) {
      exchange.reuse(idle); // with the slot the channel kept
      return;
    }
    String webTarget = ChannelLimits.target(a.deviceId(), a.target());
    boolean[] startedNow = {false};
    boolean queued =
        limits.acquire(
            webTarget,
            a.principal().userId(),
            () -> {
              startedNow[0] = true;
              context.runOnContext(v -> open(exchange, a, clientAddress.of(request), context));
            });
    if (queued && !startedNow[0]) {
      idleChannels.evictOne(webTarget); // a kept channel gives its slot to the request that waits
    }
    if (!queued) {
      live.remove(exchange);
      WebPages.send(
          request.response(),
          503,
          "The device is busy",
          "Too many requests wait for this device's page; try again in a moment.");
    }
  }

  /** A new channel for the exchange (https: under TLS), kept for the session's next request. */
  private void open(
      ProxyExchange exchange, DeviceWebSessions.Admitted a, String address, Context context) {
    KeptChannel kept = exchange.keep();
    open(a, "https".equals(a.scheme()) ? tls(kept, exchange, a, context) : kept, address, context);
  }

  @Override
  public void reopen(ProxyExchange exchange) {
    DeviceWebSessions.Admitted a = live.get(exchange);
    if (a != null) {
      open(exchange, a, clientAddress.of(exchange.request()), Vertx.currentContext());
    }
  }

  /**
   * Opens the exchange's channel: through this node's tunnel, or relayed to the node that holds the
   * device (purpose {@code web}; that node checks the device-web session again), the HTTP and TLS
   * client staying here either way.
   */
  private void open(
      DeviceWebSessions.Admitted a, ChannelConsumer consumer, String address, Context context) {
    if (tunnels.online(a.deviceId())) {
      tunnels.open(a.deviceId(), a.target(), Optional.empty(), consumer, context);
      return;
    }
    vertx
        .executeBlocking(() -> owners.remote(a.deviceId()), false)
        .onComplete(
            r ->
                context.runOnContext(
                    v -> {
                      if (r.succeeded() && r.result().isPresent()) {
                        RelayedChannel.open(
                            relay,
                            r.result().get(),
                            a.principal(),
                            address,
                            new RelayDialer.Request(
                                RelayPurpose.WEB,
                                a.deviceId(),
                                a.target(),
                                "",
                                List.of(),
                                a.sessionId()),
                            consumer,
                            context);
                      } else {
                        // offline (or the route unreadable): the tunnels say so
                        tunnels.open(a.deviceId(), a.target(), Optional.empty(), consumer, context);
                      }
                    }));
  }

  /** TLS over the channel for an https target, its certificate pinned on first use. */
  private TlsChannel tls(
      KeptChannel kept, ProxyExchange exchange, DeviceWebSessions.Admitted a, Context context) {
    return new TlsChannel(
        kept,
        a.deviceHost(),
        (sha, verdict) -> {
          io.vertx.core.Future<String> pinned =
              vertx.executeBlocking(() -> sessions.pin(a.webTargetId(), sha), false);
          pinned.onComplete(
              r -> context.runOnContext(v -> verdict.accept(r.succeeded() ? r.result() : null)));
        },
        exchange::refusedCertificate);
  }

  /** 403 with the reason on a device page's host; 421 on a host that is no device page's. */
  private void refused(HttpServerRequest request, String host, String why) {
    Context context = Vertx.currentContext();
    vertx
        .executeBlocking(() -> sessions.known(host), false)
        .onComplete(
            r ->
                context.runOnContext(
                    v -> {
                      if (r.succeeded() && !r.result()) {
                        misdirected(request);
                      } else {
                        WebPages.send(
                            request.response(), 403, "Not signed in to this device page", why);
                      }
                    }));
  }

  private static void misdirected(HttpServerRequest request) {
    WebPages.send(
        request.response(),
        421,
        "No device page here",
        "This address is not a device page of this portal.");
  }

  static String cookie(String header) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length == 2 && kv[0].equals(HeaderRules.COOKIE) && !kv[1].isBlank()) {
        return kv[1].trim();
      }
    }
    return null;
  }

  @Override
  public void finished(ProxyExchange exchange, long up, long down, KeptChannel kept) {
    DeviceWebSessions.Admitted a = live.remove(exchange);
    sockets.remove(exchange);
    if (a == null) {
      if (kept != null) {
        kept.channel().close(new Reason(Reason.PEER_CLOSED, "access ended"));
      }
      return;
    }
    String webTarget = ChannelLimits.target(a.deviceId(), a.target());
    long userId = a.principal().userId();
    if (kept != null) {
      idleChannels.park(
          IdleChannels.Key.of(a.sessionId()),
          webTarget,
          kept,
          () -> limits.release(webTarget, userId));
    } else {
      limits.release(webTarget, userId);
    }
    if (up + down > 0) {
      vertx
          .executeBlocking(
              () -> {
                sessions.count(a.sessionId(), up, down);
                return null;
              },
              false)
          .onFailure(
              e -> LOG.debugf(e, "device web bytes of session %d not counted", a.sessionId()));
    }
  }

  @Override
  public void upgraded(ProxyExchange exchange) {
    sockets.add(exchange);
  }

  /**
   * Revocation: every cached admission goes (the next request re-checks), and live exchanges of the
   * user or device are re-checked now and closed when no longer admitted.
   */
  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    admissions.clear();
    idleChannels.closeAll();
    vertx
        .executeBlocking(
            () -> {
              sessions.endFor(change);
              return null;
            },
            false)
        .onFailure(e -> LOG.debugf(e, "device web sessions not ended for %s", change.kind()));
    live.forEach(
        (exchange, a) -> {
          if (change.concerns(a.principal().userId(), a.deviceId())) {
            vertx
                .executeBlocking(() -> sessions.stillAdmitted(a.sessionId()), false)
                .onComplete(
                    r -> {
                      if (r.failed() || !r.result()) {
                        exchange.abortLater("access ended: " + change.reason());
                      }
                    });
          }
        });
  }
}
