package io.tether.upgrade;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tether.audit.Audit;
import io.tether.boot.NodeIdentity;
import io.tether.cluster.ClusterEvents;
import io.tether.cluster.UpgradeRequested;
import io.tether.device.Device;
import io.tether.enroll.SignedAgent;
import io.tether.protocol.AgentUpgrade;
import io.tether.tunnel.LiveTunnel;
import io.tether.tunnel.Tunnels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gets an asked-for upgrade to the agent: the node holding the device's tunnel claims the row (a
 * conditional update: sent once, whichever node asked) and sends the UPGRADE. The node that asked
 * sends it itself when it holds the tunnel, else tells the others ({@link
 * ClusterEvents#requestUpgrade}); a sweep on every node sends the rows of its tunnels that are
 * still unsent (a notification lost, or the device reconnected elsewhere meanwhile).
 */
@ApplicationScoped
public class UpgradeDispatch {
  private static final Logger LOG = Logger.getLogger(UpgradeDispatch.class);

  @Inject Tunnels tunnels;
  @Inject SignedAgent signed;
  @Inject ClusterEvents cluster;
  @Inject NodeIdentity identity;
  @Inject UpgradeRows rows;
  @Inject EntityManager em;

  /** Sends the UPGRADE of an upgrade {@link AgentUpgrades#ask} committed, here or on its node. */
  public void send(AgentUpgrades.Asked asked) {
    if (tunnels.local(asked.deviceId()).isPresent()) {
      sendHere(asked.deviceId());
    } else {
      cluster.requestUpgrade(asked.deviceId());
    }
  }

  void onRequested(@ObservesAsync UpgradeRequested request) {
    sendHere(request.deviceId());
  }

  /**
   * Every few seconds: unsent upgrades of devices whose tunnel is here (their node missed the
   * notification, or the agent reconnected here before it was sent).
   */
  @Scheduled(
      every = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  void sendWaiting() {
    List<?> waiting;
    try {
      waiting =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      em.createNativeQuery(
                              "select device_id from agent_upgrades where outcome is null"
                                  + " and sent_at is null")
                          .getResultList());
    } catch (RuntimeException e) {
      LOG.warnf("unsent agent upgrades not read (tried again in 5 s): %s", e.getMessage());
      return;
    }
    for (Object deviceId : waiting) {
      long id = ((Number) deviceId).longValue();
      if (tunnels.local(id).isPresent()) {
        sendHere(id);
      }
    }
  }

  /** Claims and sends the device's unsent upgrade when its tunnel is on this node. */
  void sendHere(long deviceId) {
    try {
      Optional<LiveTunnel> tunnel = tunnels.local(deviceId);
      if (tunnel.isEmpty()) {
        return;
      }
      Optional<AgentUpgrade> offer =
          QuarkusTransaction.requiringNew().call(() -> claim(deviceId, tunnel.get()));
      if (offer.isPresent() && !tunnel.get().offerUpgrade(offer.get())) {
        QuarkusTransaction.requiringNew()
            .run(
                () ->
                    rows.open(deviceId)
                        .ifPresent(
                            open ->
                                rows.finish(
                                    em.find(Device.class, deviceId),
                                    open,
                                    Audit.FAILED,
                                    "the tunnel closed before the upgrade was sent")));
      }
    } catch (RuntimeException e) {
      LOG.warnf("agent upgrade of device %d not sent: %s", deviceId, e.toString());
      LOG.debug("stack", e);
    }
  }

  /**
   * Marks the device's unsent upgrade sent by this node and returns what to send; empty when there
   * is none (sent already) or when this node serves another version (closed as failed).
   */
  private Optional<AgentUpgrade> claim(long deviceId, LiveTunnel tunnel) {
    Optional<UpgradeRows.Open> open = rows.open(deviceId);
    if (open.isEmpty() || open.get().sentAt() != null) {
      return Optional.empty();
    }
    em.createNativeQuery(
            "update agent_upgrades set sent_at = :at, sent_by = :node where id = :id"
                + " and sent_at is null")
        .setParameter("at", Instant.now())
        .setParameter("node", identity.nodeId())
        .setParameter("id", open.get().id())
        .executeUpdate();
    Optional<AgentUpgrade> offer = signed.offer();
    String to = open.get().to();
    if (offer.isEmpty() || !offer.get().version().equals(to)) {
      // nodes of two releases (a rolling upgrade) serve two jars: this one cannot send what was
      // asked for
      rows.finish(
          em.find(Device.class, deviceId),
          open.get(),
          Audit.FAILED,
          "node "
              + identity.nodeId()
              + ", which holds the tunnel, serves "
              + offer.map(o -> "agent " + o.version()).orElse("no agent jar")
              + ", not "
              + to);
      return Optional.empty();
    }
    LOG.infof(
        "device %d: sending the agent upgrade %s -> %s (agent %s)",
        deviceId, open.get().from(), to, tunnel.agentVersion());
    return offer;
  }
}
