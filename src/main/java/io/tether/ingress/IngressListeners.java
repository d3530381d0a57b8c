package io.tether.ingress;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.access.AccessChanged;
import io.tether.access.TrustedProxies;
import io.tether.audit.AsyncAudit;
import io.tether.audit.Audit;
import io.tether.boot.TetherConfig;
import io.tether.device.Device;
import io.tether.device.RawDevices;
import io.tether.net.Cidr;
import io.tether.net.ClientOrigin;
import io.tether.net.TcpListen;
import io.tether.tunnel.Tunnels;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One listening port per raw device. A connection from an allowed source that sends the right
 * connect string (when one is set) becomes the device's tunnel, replacing the previous one; any
 * other is closed at once. An address that keeps sending wrong connect strings is refused unread
 * for a while, and each address's refusals are audited once per burst ({@link ConnectGuessLimit}).
 * Behind a balancer ({@code TETHER_INGRESS_PROXY_PROTOCOL}) the source is the device server its
 * PROXY header names ({@link ClientOrigin}).
 */
@ApplicationScoped
public class IngressListeners {
  private static final Logger LOG = Logger.getLogger(IngressListeners.class);

  /** How long a unit has to send its connect string. */
  static final Duration CONNECT_STRING_TIMEOUT = Duration.ofSeconds(10);

  /** TCP keepalive: first probe after this much silence. */
  static final int KEEPALIVE_IDLE_SECONDS = 60;

  static final int KEEPALIVE_INTERVAL_SECONDS = 10;

  /** Unanswered probes before the connection is dead. */
  static final int KEEPALIVE_PROBES = 3;

  /** A burst's audit timer fires this long after its window, so the window has surely passed. */
  static final Duration BURST_TIMER_SLACK = Duration.ofMillis(100);

  @Inject Vertx vertx;
  @Inject TetherConfig config;
  @Inject Tunnels tunnels;
  @Inject RawDevices raw;
  @Inject AsyncAudit audit;
  @Inject TrustedProxies proxies;

  private ConnectGuessLimit guesses;
  private ClientOrigin origin;

  /** A raw device as its listener checks connections: a snapshot taken when it started. */
  record Admitted(
      long id,
      String name,
      long groupId,
      int port,
      List<Cidr> allowed,
      byte[] secretHash,
      int secretLength) {}

  private final Map<Long, NetServer> servers = new ConcurrentHashMap<>();

  @PostConstruct
  void init() {
    guesses = new ConnectGuessLimit(config.ingress().guessWindow(), Clock.systemUTC());
    origin = new ClientOrigin(config.ingress().proxyProtocol(), proxies::contains, vertx);
  }

  void onStart(@Observes StartupEvent event) {
    List<Admitted> all =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Device.<Device>find("mode = 'raw' and deletedAt is null").stream()
                        .map(IngressListeners::admitted)
                        .toList());
    all.forEach(this::open);
    if (!all.isEmpty()) {
      LOG.infof("%d raw ingress port(s) listening", servers.size());
    }
  }

  void onChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) RawDevices.IngressChanged e) {
    Optional<Admitted> device =
        QuarkusTransaction.requiringNew()
            .call(() -> Device.findLive(e.deviceId()).map(IngressListeners::admitted));
    close(e.deviceId());
    device.ifPresent(this::open);
  }

  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    if (change.kind() == AccessChanged.Kind.DEVICE_DELETED && change.deviceId() != null) {
      close(change.deviceId());
    }
  }

  private static Admitted admitted(Device d) {
    return new Admitted(
        d.id,
        d.name,
        d.group.id,
        d.ingressPort,
        Arrays.stream(d.allowCidrs).map(Cidr::parse).toList(),
        d.connectSecretHash,
        d.connectSecretLength == null ? 0 : d.connectSecretLength);
  }

  private void open(Admitted device) {
    NetServerOptions options =
        new NetServerOptions()
            .setHost(config.ingress().bind())
            .setPort(device.port())
            .setTcpKeepAlive(true)
            .setTcpNoDelay(true);
    // a unit that lost power sends nothing: keepalive finds the dead peer in about 90 s
    options.setTcpKeepAliveIdleSeconds(KEEPALIVE_IDLE_SECONDS);
    options.setTcpKeepAliveIntervalSeconds(KEEPALIVE_INTERVAL_SECONDS);
    options.setTcpKeepAliveCount(KEEPALIVE_PROBES);
    NetServer server = vertx.createNetServer(options);
    server.connectHandler(
        origin.connectHandler(
            (socket, client) -> accept(device, socket, client),
            (socket, refused) ->
                refuse(device, socket, refused.peer(), refused.getMessage(), false)));
    try {
      TcpListen.bind(server);
      servers.put(device.id(), server);
    } catch (TcpListen.Failed e) {
      LOG.warnf(
          "raw ingress port %d of device %s cannot listen: %s",
          device.port(), device.name(), e.getMessage());
    }
  }

  private void close(long deviceId) {
    NetServer server = servers.remove(deviceId);
    if (server != null) {
      server.close();
    }
  }

  private void accept(Admitted device, NetSocket socket, ClientOrigin.Client client) {
    String address = client.address();
    if (device.allowed().stream().noneMatch(c -> c.contains(address))) {
      refuse(device, socket, address, "source address not in the device's allowlist", false);
      return;
    }
    if (guesses.blocked(address)) {
      socket.close(); // counted in the address's burst, audited when it ends
      return;
    }
    if (device.secretHash() == null) {
      socket.pause();
      new IngressTunnel(socket, vertx.getOrCreateContext(), device, address, tunnels)
          .start(client.initial());
      return;
    }
    new ConnectString(device.secretLength(), CONNECT_STRING_TIMEOUT, vertx)
        .read(socket, client.initial())
        .onSuccess(
            read -> {
              if (raw.secretMatches(read.secret(), device.secretHash())) {
                new IngressTunnel(socket, vertx.getOrCreateContext(), device, address, tunnels)
                    .start(read.rest());
              } else {
                refuse(device, socket, address, "wrong connect string", true);
              }
            })
        .onFailure(e -> refuse(device, socket, address, e.getMessage(), true));
  }

  /** {@code guess}: a failed connect string, which counts towards blocking the address. */
  private void refuse(
      Admitted device, NetSocket socket, String address, String why, boolean guess) {
    socket.close();
    if (guesses.refused(address, device.id(), device.name(), why, guess)) {
      vertx.setTimer(
          guesses.window().plus(BURST_TIMER_SLACK).toMillis(), t -> audit(guesses.takeEnded()));
    }
  }

  /** One entry per burst: what was refused from one address within one window, and how often. */
  private void audit(List<ConnectGuessLimit.Burst> bursts) {
    for (ConnectGuessLimit.Burst b : bursts) {
      audit.submit(
          Audit.by("device:" + b.deviceName(), null, b.address())
              .action("ingress.refused")
              .outcome(Audit.DENIED)
              .subject(b.deviceName())
              .device(b.deviceId())
              .detail(b.describe(guesses.window())));
    }
  }

  /** Bursts still open are audited before the audit writer's own flush (priority 20). */
  void flushOnStop(@Observes @Priority(10) ShutdownEvent event) {
    audit(guesses.takeAll());
  }
}
