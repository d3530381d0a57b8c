package io.tether.upgrade;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tether.audit.Audit;
import io.tether.boot.TetherConfig;
import io.tether.device.Device;
import io.tether.protocol.AgentUpgrade;
import io.tether.tunnel.AgentTunnelEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Follows an upgrade to its outcome on whichever node hears it: the agent reconnects reporting the
 * new version ({@code ok}), answers UPGRADE_FAILED, comes back on its old version (rolled back, or
 * never applied: said by how the tunnel it was sent on closed), or says nothing for {@code
 * TETHER_AGENT_UPGRADE_TIMEOUT} ({@code failed}, closed by any node's sweep).
 */
@ApplicationScoped
public class UpgradeOutcomes {
  private static final Logger LOG = Logger.getLogger(UpgradeOutcomes.class);

  @Inject UpgradeRows rows;
  @Inject UpgradeDispatch dispatch;
  @Inject TetherConfig config;
  @Inject EntityManager em;

  /** An outcome and the line that says why. */
  record Outcome(String outcome, String detail) {}

  /** A tunnel's news: a reconnect ends an upgrade under way; UPGRADE_FAILED fails it. */
  void onTunnel(@ObservesAsync AgentTunnelEvent event) {
    try {
      if (event instanceof AgentTunnelEvent.Online online) {
        boolean unsent = QuarkusTransaction.requiringNew().call(() -> online(online));
        if (unsent) {
          dispatch.sendHere(online.deviceId()); // it came back here before it was sent
        }
      } else if (event instanceof AgentTunnelEvent.UpgradeFailed failed) {
        answered(failed.deviceId(), Audit.FAILED, failed.reason());
      } else if (event instanceof AgentTunnelEvent.UpgradeTunnelClosed closed) {
        QuarkusTransaction.requiringNew().run(() -> tunnelClosed(closed));
      }
    } catch (RuntimeException e) {
      LOG.warnf("agent upgrade of device %d not followed up: %s", event.deviceId(), e.toString());
      LOG.debug("stack", e);
    }
  }

  /** Records the upgrade's outcome the reconnect tells; true when it is still to be sent. */
  private boolean online(AgentTunnelEvent.Online online) {
    // Unchanged in almost every reconnect: no row version written then (a storm of 10,000).
    em.createNativeQuery(
            "update devices set agent_upgradable = :u"
                + " where id = :d and agent_upgradable is distinct from :u")
        .setParameter("u", online.upgradable())
        .setParameter("d", online.deviceId())
        .executeUpdate();
    Optional<UpgradeRows.Open> open = rows.open(online.deviceId());
    if (open.isEmpty()) {
      return false;
    }
    if (open.get().sentAt() == null && !open.get().to().equals(online.agentVersion())) {
      return true;
    }
    Outcome outcome = reconnected(open.get(), online.agentVersion());
    rows.finish(
        em.find(Device.class, online.deviceId()), open.get(), outcome.outcome(), outcome.detail());
    return false;
  }

  /**
   * What an agent reconnecting reporting {@code now} says of the sent upgrade {@code open}. On its
   * old version it was rolled back only if it restarted on the new jar (closed its tunnel saying
   * so); a tunnel that ended otherwise means the agent never applied it (it applies no upgrade once
   * its tunnel ended).
   */
  static Outcome reconnected(UpgradeRows.Open open, String now) {
    if (open.to().equals(now)) {
      return new Outcome(Audit.OK, "reconnected reporting " + now);
    }
    if (!now.equals(open.from())) {
      return new Outcome(Audit.FAILED, "reconnected reporting " + now + ", not " + open.to());
    }
    String closed = open.tunnelClosed();
    if (closed == null) {
      return new Outcome(
          Audit.FAILED,
          "reconnected reporting "
              + now
              + ", not "
              + open.to()
              + " (how its tunnel ended is not"
              + " known)");
    }
    if (closed.contains(AgentUpgrade.RESTARTING)) {
      return new Outcome(
          Audit.FAILED,
          "rolled back: the agent restarted on " + open.to() + " and came back reporting " + now);
    }
    return new Outcome(
        Audit.FAILED,
        "not applied: the tunnel closed ("
            + closed
            + ") before the agent restarted on "
            + open.to()
            + "; reconnected reporting "
            + now);
  }

  private void tunnelClosed(AgentTunnelEvent.UpgradeTunnelClosed closed) {
    String why = closed.code() + (closed.reason() == null ? "" : " " + closed.reason());
    em.createNativeQuery(
            "update agent_upgrades set tunnel_closed = :why where device_id = :d"
                + " and outcome is null and sent_at is not null and tunnel_closed is null")
        .setParameter("why", why.length() > 300 ? why.substring(0, 300) : why)
        .setParameter("d", closed.deviceId())
        .executeUpdate();
  }

  private void answered(long deviceId, String outcome, String detail) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Optional<UpgradeRows.Open> open = rows.open(deviceId);
              if (open.isEmpty()) {
                LOG.infof("device %d: an upgrade answer with none under way: %s", deviceId, detail);
                return;
              }
              rows.finish(em.find(Device.class, deviceId), open.get(), outcome, detail);
            });
  }

  /**
   * Closes as failed every upgrade asked for longer than the timeout ago with no outcome, and
   * audits it. Every node runs this: {@link UpgradeRows#finish} is a conditional update, so each
   * upgrade is closed and audited once.
   */
  @Scheduled(
      every = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  public void closeUnanswered() {
    try {
      closeOlderThan(config.agentUpgradeTimeout());
    } catch (RuntimeException e) {
      LOG.warnf("unanswered agent upgrades not closed (tried again in 5 s): %s", e.getMessage());
    }
  }

  private void closeOlderThan(Duration timeout) {
    List<?> stale =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "select device_id from agent_upgrades where outcome is null"
                                + " and requested_at < :cutoff")
                        .setParameter("cutoff", Instant.now().minus(timeout))
                        .getResultList());
    for (Object deviceId : stale) {
      long id = ((Number) deviceId).longValue();
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  rows.open(id)
                      .filter(o -> o.requestedAt().isBefore(Instant.now().minus(timeout)))
                      .ifPresent(
                          o ->
                              rows.finish(
                                  em.find(Device.class, id),
                                  o,
                                  Audit.FAILED,
                                  UpgradeRows.unanswered(o, timeout))));
    }
  }
}
