package io.tether.tunnel;

import io.quarkus.scheduler.Scheduled;
import io.tether.access.AccessChanged;
import io.tether.audit.AsyncAudit;
import io.tether.audit.Audit;
import io.tether.boot.TetherConfig;
import io.tether.protocol.LineSettings;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import io.tether.protocol.TunnelCloseCode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The tunnels of this node as a service: accepts authenticated sockets, opens channels for other
 * features, mirrors presence, audits, and closes tunnels whose access was revoked.
 */
@ApplicationScoped
public class Tunnels implements TunnelEvents {
  private static final Logger LOG = Logger.getLogger(Tunnels.class);

  private final TunnelRegistry registry;
  private final PresenceSink presence;
  private final Consumer<Audit> audit;
  private final TunnelNode node;

  /** Agent online and upgrade answers, for the upgrade feature; nothing in unit tests. */
  private Consumer<AgentTunnelEvent> agentEvents = e -> {};

  @Inject
  public Tunnels(
      TunnelRegistry registry,
      TunnelMetrics metrics,
      PresenceWriter presence,
      AsyncAudit audit,
      TetherConfig config,
      NodeBudget budget,
      Event<AgentTunnelEvent> agentEvents) {
    this(
        registry,
        metrics,
        budget,
        presence,
        audit::submit,
        settings(config.tunnel()),
        TunnelClock.SYSTEM);
    this.agentEvents = agentEvents::fireAsync;
  }

  Tunnels(
      TunnelRegistry registry,
      TunnelMetrics metrics,
      NodeBudget budget,
      PresenceSink presence,
      Consumer<Audit> audit,
      TunnelSettings settings,
      TunnelClock clock) {
    this.registry = registry;
    this.presence = presence;
    this.audit = audit;
    this.node = new TunnelNode(settings, registry, metrics, budget, this, clock);
  }

  private static TunnelSettings settings(TetherConfig.Tunnel t) {
    return new TunnelSettings(
        ProtocolLimits.DEFAULT_WINDOW,
        TunnelSettings.HANDSHAKE_TIMEOUT,
        t.heartbeat(),
        t.deadAfter(),
        t.shutdownRetryAfter());
  }

  TunnelMetrics metrics() {
    return node.metrics();
  }

  /** Takes over an upgraded, authenticated socket; call on the socket's context. */
  void accept(TunnelSocket ws, DeviceIdentity device, String address) {
    accept(ws, device, address, false);
  }

  /** The same, for an agent that can ({@code upgradable}) upgrade itself over the tunnel. */
  void accept(TunnelSocket ws, DeviceIdentity device, String address, boolean upgradable) {
    new TunnelConnection(ws, Vertx.currentContext(), device, address, node)
        .upgradable(upgradable)
        .start();
  }

  /** The same with the generation the cluster gave this tunnel. */
  void accept(
      TunnelSocket ws, DeviceIdentity device, String address, long generation, boolean upgradable) {
    new TunnelConnection(ws, Vertx.currentContext(), device, address, node, generation)
        .upgradable(upgradable)
        .start();
  }

  /** The device's tunnel if this node holds it. */
  public Optional<LiveTunnel> local(long deviceId) {
    return registry.get(deviceId);
  }

  /**
   * Opens a channel to a target of an online device. The consumer hears the outcome (opened,
   * refused with reason) on {@code consumerContext}.
   */
  public void open(
      long deviceId,
      String target,
      Optional<LineSettings> line,
      ChannelConsumer consumer,
      Context consumerContext) {
    Optional<LiveTunnel> tunnel = registry.get(deviceId);
    if (tunnel.isEmpty()) {
      consumerContext.runOnContext(
          v -> consumer.onRefused(new Reason(Reason.DEVICE_OFFLINE, "the device is offline")));
      return;
    }
    tunnel.get().open(target, line, consumer, consumerContext);
  }

  public long heartbeatMillis() {
    return node.settings().heartbeat().toMillis();
  }

  public long deadAfterMillis() {
    return node.settings().deadAfter().toMillis();
  }

  public boolean online(long deviceId) {
    return registry.get(deviceId).isPresent();
  }

  @Override
  public void connected(TunnelConnection t) {
    presence.submit(state(t, true));
    agentEvents.accept(
        new AgentTunnelEvent.Online(t.deviceId(), t.hello().agentVersion(), t.upgradable()));
    audit.accept(
        Audit.by("device:" + t.device().name(), null, t.remoteAddress())
            .action("tunnel.connect")
            .subject(t.device().name())
            .device(t.deviceId())
            .detail("agent " + t.hello().agentVersion() + ", instance " + t.instanceId()));
    LOG.infof(
        "device %s online from %s (agent %s)",
        t.device().name(), t.remoteAddress(), t.hello().agentVersion());
  }

  @Override
  public void disconnected(TunnelConnection t, int code, String reason) {
    String why = code + (reason == null || reason.isEmpty() ? "" : " " + reason);
    if (registry.remove(t)) {
      presence.submit(state(t, false));
    }
    if (t.upgradeUnanswered()) {
      agentEvents.accept(new AgentTunnelEvent.UpgradeTunnelClosed(t.deviceId(), code, reason));
    }
    audit.accept(
        Audit.by("device:" + t.device().name(), null, t.remoteAddress())
            .action("tunnel.disconnect")
            .subject(t.device().name())
            .device(t.deviceId())
            .detail(why));
    LOG.infof("device %s tunnel closed: %s", t.device().name(), why);
  }

  @Override
  public void upgradeFailed(TunnelConnection t, String reason) {
    LOG.infof("device %s: the agent did not upgrade: %s", t.device().name(), reason);
    agentEvents.accept(new AgentTunnelEvent.UpgradeFailed(t.deviceId(), reason));
  }

  @Override
  public void duplicate(TunnelConnection refused, LiveTunnel holder) {
    node.metrics().refused("duplicate-agent");
    presence.duplicate(
        refused.deviceId(),
        "another agent installation (instance "
            + refused.instanceId()
            + " from "
            + refused.remoteAddress()
            + ") tried to connect while "
            + holder.instanceId()
            + " is connected");
    audit.accept(
        Audit.by("device:" + refused.device().name(), null, refused.remoteAddress())
            .action("tunnel.refused")
            .outcome(Audit.DENIED)
            .subject(refused.device().name())
            .device(refused.deviceId())
            .detail(
                "duplicate agent: instance "
                    + refused.instanceId()
                    + " while "
                    + holder.instanceId()
                    + " holds the device"));
    LOG.warnf(
        "device %s: a second agent installation (instance %s from %s) was refused; %s is connected",
        refused.device().name(),
        refused.instanceId(),
        refused.remoteAddress(),
        holder.instanceId());
  }

  /**
   * Makes a raw TCP ingress connection the device's tunnel (it passed its checks); a previous one
   * is closed as replaced.
   */
  public void attach(LiveTunnel raw, String deviceName, String address) {
    TunnelRegistry.Registration r = registry.register(raw);
    if (r instanceof TunnelRegistry.Registration.Accepted accepted) {
      accepted
          .replaced()
          .ifPresent(
              old ->
                  old.close(
                      TunnelCloseCode.REPLACED.code(),
                      "replaced by a new connection from " + address));
    } else {
      // an agent holds a raw device's id only if it was an agent device before: keep the agent
      raw.close(TunnelCloseCode.DUPLICATE_AGENT.code(), "another connection holds this device");
      return;
    }
    presence.submit(raw.presence(true));
    audit.accept(
        Audit.by("device:" + deviceName, null, address)
            .action("tunnel.connect")
            .subject(deviceName)
            .device(raw.deviceId())
            .detail("raw TCP ingress"));
    LOG.infof("device %s online from %s (raw TCP ingress)", deviceName, address);
  }

  /** The raw connection ended. */
  public void detach(LiveTunnel raw, String deviceName, String address, String why) {
    if (registry.remove(raw)) {
      presence.submit(raw.presence(false));
    }
    audit.accept(
        Audit.by("device:" + deviceName, null, address)
            .action("tunnel.disconnect")
            .subject(deviceName)
            .device(raw.deviceId())
            .detail(why));
    LOG.infof("device %s raw connection closed: %s", deviceName, why);
  }

  /** The next tunnel generation, for tunnels that are not agent WebSockets. */
  public long nextGeneration() {
    return registry.nextGeneration();
  }

  @Override
  public void targetStatusChanged(
      TunnelConnection t, String target, String previous, String status) {
    presence.targetStatus(t.deviceId(), target, previous, status);
  }

  @Override
  public void presenceChanged(LiveTunnel t) {
    presence.submit(t.presence(true));
  }

  private static PresenceWriter.State state(LiveTunnel t, boolean online) {
    return t.presence(online);
  }

  /** Refreshes "last seen" of every device online here, at the presence interval. */
  @Scheduled(
      every = "${tether.tunnel.presence-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  void refreshPresence() {
    for (LiveTunnel t : registry.all()) {
      t.context()
          .runOnContext(
              v -> {
                if (registry.get(t.deviceId()).orElse(null) == t) {
                  presence.refresh(state(t, true));
                }
              });
    }
  }

  /** Revoked device credentials end the live tunnel (after the change is committed). */
  void onAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccessChanged change) {
    if (change.deviceId() == null) {
      return;
    }
    if (change.kind() == AccessChanged.Kind.DEVICE_TOKEN_ROTATED
        || change.kind() == AccessChanged.Kind.DEVICE_DELETED) {
      registry
          .get(change.deviceId())
          .ifPresent(t -> t.close(TunnelCloseCode.REVOKED.code(), change.reason()));
    }
  }

  /**
   * This node was declared dead while away: another node may hold these devices now, so every
   * tunnel here closes; the agents reconnect (through the balancer) with their normal backoff.
   */
  void onFenced(@Observes io.tether.cluster.NodeFenced event) {
    for (LiveTunnel t : java.util.List.copyOf(registry.all())) {
      t.close(
          TunnelCloseCode.GOING_AWAY.code(),
          io.tether.cluster.NodeFenced.REASON + ": this node was declared dead; reconnect");
    }
  }

  /**
   * Another installation holds the device on another node: this node's tunnel of it is refused as a
   * duplicate, exactly as a second installation on one node is.
   */
  void onHeldElsewhere(@Observes HeldElsewhere held) {
    registry
        .get(held.deviceId())
        .filter(t -> t.generation() == held.generation())
        .ifPresent(
            t -> {
              node.metrics().refused("duplicate-agent");
              String detail =
                  "duplicate agent: instance "
                      + t.instanceId()
                      + " while "
                      + held.holderInstance()
                      + " holds the device on node "
                      + held.holderNode();
              presence.duplicate(held.deviceId(), detail);
              String name =
                  t instanceof TunnelConnection c ? c.device().name() : "#" + held.deviceId();
              audit.accept(
                  Audit.by("device:" + name, null, t.presence(true).remoteAddress())
                      .action("tunnel.refused")
                      .outcome(Audit.DENIED)
                      .subject(name)
                      .device(held.deviceId())
                      .detail(detail));
              LOG.warnf("device %s: %s", name, detail);
              t.close(
                  TunnelCloseCode.DUPLICATE_AGENT.code(),
                  "another agent installation holds this device (on node "
                      + held.holderNode()
                      + ")");
            });
  }

  /**
   * The device's agent reconnected through another node: a tunnel of it here with an older
   * generation is a half-open leftover and closes as replaced, like a reconnect to this node.
   */
  void onRouteMoved(@Observes io.tether.cluster.RouteMoved moved) {
    registry
        .get(moved.deviceId())
        .filter(t -> t.generation() < moved.generation())
        .ifPresent(
            t ->
                t.close(
                    TunnelCloseCode.REPLACED.code(),
                    "the agent reconnected through node " + moved.nodeId()));
  }

  /** True once the portal began to stop: new tunnels are refused 503 with Retry-After. */
  boolean stopping() {
    return stopping;
  }

  /**
   * Refuses new tunnels, then tells every agent to come back after the retry-after delay (with its
   * own jitter).
   */
  void onShutdown(@Observes io.quarkus.runtime.ShutdownDelayInitiatedEvent event) {
    stopping = true;
    long seconds = Math.max(1, node.settings().shutdownRetryAfter().toSeconds());
    java.util.List<LiveTunnel> live = java.util.List.copyOf(registry.all());
    java.util.concurrent.CountDownLatch written =
        new java.util.concurrent.CountDownLatch(live.size());
    for (LiveTunnel t : live) {
      if (t instanceof TunnelConnection c) {
        c.close(TunnelCloseCode.SHUTTING_DOWN.code(), "retry-after=" + seconds, written::countDown);
      } else {
        t.close(TunnelCloseCode.SHUTTING_DOWN.code(), "the portal is shutting down");
        written.countDown();
      }
    }
    // the close frames must go out before the HTTP server closes the sockets (which says 1000)
    try {
      written.await(SHUTDOWN_CLOSE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Bound on waiting for the shutting-down close frames to be written. */
  static final java.time.Duration SHUTDOWN_CLOSE_WAIT = java.time.Duration.ofSeconds(3);

  private volatile boolean stopping;
}
