package io.tether.link;

import io.quarkus.runtime.StartupEvent;
import io.tether.access.AccessChanged;
import io.tether.access.TrustedProxies;
import io.tether.api.ApiException;
import io.tether.api.Problem;
import io.tether.audit.AsyncAudit;
import io.tether.audit.Audit;
import io.tether.boot.TetherConfig;
import io.tether.cluster.LinkPortChanged;
import io.tether.device.Device;
import io.tether.net.Cidr;
import io.tether.net.ClientOrigin;
import io.tether.net.TcpListen;
import io.tether.relay.DeviceOwners;
import io.tether.relay.RelayAssertion;
import io.tether.relay.RelayDialer;
import io.tether.relay.RelayPurpose;
import io.tether.relay.RelayedEntry;
import io.tether.session.JoinRequest;
import io.tether.session.SessionHubs;
import io.tether.tunnel.RefusalAuditThrottle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The listening link ports of this node, restored from the database at start. A client from an
 * allowed address joins the target's session as a participant named {@code link:PORT}; anyone else
 * is disconnected at once and audited (at most once a minute per address). Behind a balancer
 * ({@code TETHER_LINK_PROXY_PROTOCOL}) the client is the one its PROXY header names ({@link
 * ClientOrigin}).
 */
@ApplicationScoped
public class LinkListeners implements RelayedEntry {
  private static final Logger LOG = Logger.getLogger(LinkListeners.class);

  @Inject Vertx vertx;
  @Inject TetherConfig config;
  @Inject SessionHubs hubs;
  @Inject AsyncAudit audit;
  @Inject RefusalAuditThrottle throttle;
  @Inject TrustedProxies proxies;
  @Inject DeviceOwners owners;
  @Inject RelayDialer relay;

  private ClientOrigin origin;

  /** A listening link: its settings as they were when it started, and its clients. */
  private record Listening(
      DeviceLink link, List<Cidr> allowed, NetServer server, Set<LinkConnection> clients) {}

  private final Map<Long, Listening> listening = new ConcurrentHashMap<>();

  @PostConstruct
  void init() {
    origin = new ClientOrigin(config.links().proxyProtocol(), proxies::contains, vertx);
  }

  void onStart(@Observes StartupEvent event) {
    for (DeviceLink link : restorable()) {
      open(link);
    }
    if (!listening.isEmpty()) {
      LOG.infof("%d link port(s) listening", listening.size());
    }
  }

  @Transactional
  List<DeviceLink> restorable() {
    return DeviceLink.list(
        "deviceId in (select d.id from Device d where d.deletedAt is null) order by id");
  }

  /** Starts listening on the link's port; waits up to a few seconds for the bind. */
  public void open(DeviceLink link) {
    List<Cidr> allowed = link.allowCidrs == null ? List.of() : parse(link.allowCidrs);
    NetServer server =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost(config.links().bind())
                .setPort(link.port)
                .setTcpKeepAlive(true)
                .setTcpNoDelay(true));
    Listening l = new Listening(link, allowed, server, ConcurrentHashMap.newKeySet());
    server.connectHandler(
        origin.connectHandler(
            (socket, client) -> accept(l, socket, client),
            (socket, refused) -> refuse(l, socket, refused.peer(), refused.getMessage())));
    try {
      TcpListen.bind(server);
      listening.put(link.id, l);
    } catch (TcpListen.Failed e) {
      LOG.warnf("link port %d (link %d) cannot listen: %s", link.port, link.id, e.getMessage());
    }
  }

  public void close(long linkId) {
    Listening l = listening.remove(linkId);
    if (l != null) {
      l.server().close();
      for (LinkConnection c : l.clients()) {
        c.kick("the link port was removed");
      }
    }
  }

  public boolean listening(long linkId) {
    return listening.containsKey(linkId);
  }

  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    if (LinkService.deviceGone(change)) {
      listening.values().stream()
          .filter(l -> l.link().deviceId.equals(change.deviceId()))
          .map(l -> l.link().id)
          .toList()
          .forEach(this::close);
    }
  }

  /** Another node made or removed a link port: this node listens on it too, or stops. */
  void onLinkPort(@Observes LinkPortChanged change) {
    if (change.fromNode() == null) {
      return; // this node's own change: the resource opens or closes it once it committed
    }
    if (change.removed()) {
      close(change.linkId());
    } else if (!listening(change.linkId())) {
      DeviceLink link = byId(change.linkId());
      if (link != null) {
        open(link);
      }
    }
  }

  @Transactional
  DeviceLink byId(long linkId) {
    return DeviceLink.findById(linkId);
  }

  private void accept(Listening l, NetSocket socket, ClientOrigin.Client client) {
    String address = client.address();
    if (l.allowed().stream().noneMatch(c -> c.contains(address))) {
      refuse(l, socket, address, "source address not in the link's allowlist");
      return;
    }
    socket.pause();
    // a client gone while its route is decided must not join (it could hold the link's control)
    boolean[] gone = {false};
    socket.closeHandler(v -> gone[0] = true);
    DeviceLink link = l.link();
    vertx
        .executeBlocking(() -> route(link, address), false)
        .onComplete(
            r -> {
              if (gone[0]) {
                return;
              }
              if (r.failed() || r.result().isEmpty()) {
                socket.close();
              } else if (r.result().get().owner().isPresent()) {
                relay.relayLink(
                    socket,
                    client.initial(),
                    r.result().get().owner().get(),
                    link.id,
                    link.deviceId,
                    link.target,
                    address);
              } else {
                join(
                    r.result().get().join(),
                    new LinkConnection(LinkClient.of(socket), client.initial(), l.clients()),
                    l.clients());
              }
            });
  }

  /** Where a link client goes: to the device's node, or into a session here (one database hop). */
  private record Route(Optional<DeviceOwners.Owner> owner, JoinRequest join) {}

  private Optional<Route> route(DeviceLink link, String address) {
    Optional<DeviceOwners.Owner> owner = owners.remote(link.deviceId);
    if (owner.isPresent()) {
      return Optional.of(new Route(owner, null));
    }
    return joinRequest(link, address).map(j -> new Route(Optional.empty(), j));
  }

  /** Joins the client to the target's session on this node (the device's tunnel is here). */
  private void join(JoinRequest who, LinkConnection connection, Set<LinkConnection> set) {
    set.add(connection);
    hubs.join(who, connection);
  }

  @Override
  public Set<RelayPurpose> purposes() {
    return EnumSet.of(RelayPurpose.LINK);
  }

  /**
   * A client of another node's port for a device whose tunnel is here. The link is read again (it
   * may have been removed, or its allowlist changed, since) and the client joins as if local.
   */
  @Override
  public void accept(RoutingContext ctx, RelayAssertion a) {
    ctx.request().pause();
    vertx
        .executeBlocking(
            () ->
                joinRequest(currentLink(a), a.clientAddress())
                    .orElseThrow(
                        () -> ApiException.notFound("device " + a.deviceId() + " is gone")),
            false)
        .onComplete(
            r -> {
              ctx.request().resume();
              if (r.failed()) {
                Problem.send(ctx, r.cause());
                return;
              }
              Listening here = listening.get(a.linkId());
              Set<LinkConnection> set =
                  here != null ? here.clients() : ConcurrentHashMap.newKeySet();
              ctx.request()
                  .toWebSocket()
                  .onSuccess(
                      ws -> {
                        // the client's first bytes may be on their way: held until it joined
                        ws.pause();
                        LinkConnection connection =
                            new LinkConnection(LinkClient.of(ws), Buffer.buffer(), set);
                        join(r.result(), connection, set);
                      });
            });
  }

  @Transactional
  DeviceLink currentLink(RelayAssertion a) {
    DeviceLink link = DeviceLink.findById(a.linkId());
    if (link == null || !link.deviceId.equals(a.deviceId())) {
      throw ApiException.notFound("no link " + a.linkId() + " on device " + a.deviceId());
    }
    List<Cidr> allowed = link.allowCidrs == null ? List.of() : parse(link.allowCidrs);
    if (allowed.stream().noneMatch(c -> c.contains(a.clientAddress()))) {
      throw new ApiException(403, "source address not in the link's allowlist");
    }
    return link;
  }

  private void refuse(Listening l, NetSocket socket, String address, String why) {
    socket.close();
    if (throttle.allow("link:" + address)) {
      audit.submit(
          Audit.by("link:" + l.link().port, null, address)
              .action("link.refused")
              .outcome(Audit.DENIED)
              .device(l.link().deviceId)
              .subject("port " + l.link().port)
              .detail(why));
    }
  }

  @Transactional
  Optional<JoinRequest> joinRequest(DeviceLink link, String address) {
    return Device.findReachable(link.deviceId)
        .map(
            d ->
                new JoinRequest(
                    d.id,
                    d.name,
                    link.target,
                    d.targets.stream()
                        .anyMatch(t -> t.name().equals(link.target) && "serial".equals(t.kind())),
                    null,
                    "link:" + link.port,
                    "link",
                    true,
                    d.group.recording,
                    address,
                    link.takeOver ? JoinRequest.Mode.TAKE_OVER : JoinRequest.Mode.EXCLUSIVE));
  }

  private static List<Cidr> parse(String[] cidrs) {
    return java.util.Arrays.stream(cidrs).map(Cidr::parse).toList();
  }
}
