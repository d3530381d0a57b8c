package io.tether.upgrade;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tether.access.Action;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.Device;
import io.tether.device.DeviceAccess;
import io.tether.enroll.SignedAgent;
import io.tether.protocol.AgentUpgrade;
import io.tether.protocol.SemanticVersion;
import io.tether.relay.DeviceOwners;
import io.tether.tunnel.AgentTunnelEvent;
import io.tether.tunnel.LiveTunnel;
import io.tether.tunnel.Tunnels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Asks an agent to upgrade itself to the jar this portal serves, and follows it to its outcome: the
 * agent reconnects reporting the new version ({@code ok}), answers UPGRADE_FAILED, or comes back on
 * its old version after the launcher rolled the new jar back ({@code failed}). Each step is audited
 * as {@code device.agent-upgrade}. The rows live in the database, so the outcome is seen by
 * whichever node the agent reconnects to.
 */
@ApplicationScoped
public class AgentUpgrades {
  private static final Logger LOG = Logger.getLogger(AgentUpgrades.class);

  static final String ACTION = "device.agent-upgrade";

  /**
   * An upgrade with no outcome after this long is closed as failed when another is asked for: the
   * download is bounded to 10 min (AgentUpgrader.DOWNLOAD_TIMEOUT), the trial to a minute.
   */
  static final Duration UNANSWERED = Duration.ofMinutes(15);

  @Inject DeviceAccess access;
  @Inject Tunnels tunnels;
  @Inject DeviceOwners owners;
  @Inject SignedAgent signed;
  @Inject AuditLog audit;
  @Inject EntityManager em;

  /** An upgrade asked for and recorded; {@link #send} hands it to the tunnel once committed. */
  public record Asked(
      long deviceId,
      String device,
      String from,
      String to,
      LiveTunnel tunnel,
      AgentUpgrade offer) {}

  /** An upgrade's state as the API shows it. */
  public record Status(
      long deviceId,
      String from,
      String to,
      String requestedBy,
      Instant requestedAt,
      Instant finishedAt,
      String outcome,
      String detail) {}

  /** The version this portal offers, if it serves an agent jar that names one. */
  public Optional<AgentUpgrade> offer() {
    return signed.offer();
  }

  /**
   * Records an upgrade of the device's agent to the served jar, or refuses with 409 saying why
   * (offline, held by another node, cannot upgrade itself, not older, one under way).
   */
  @Transactional
  public Asked ask(Principal admin, String address, long deviceId) {
    Device device = access.require(admin, Action.MANAGE, deviceId);
    if (device.raw()) {
      throw ApiException.conflict("mode", "a raw device has no agent to upgrade");
    }
    AgentUpgrade offer =
        signed
            .offer()
            .orElseThrow(
                () ->
                    ApiException.conflict(
                        "agent",
                        "this portal serves no agent jar to upgrade to: put tether-agent.jar"
                            + " (with an Implementation-Version) in TETHER_DOWNLOADS_DIR"));
    LiveTunnel tunnel = tunnels.local(deviceId).orElseThrow(() -> notHere(device));
    if (!tunnel.upgradable()) {
      throw ApiException.conflict("agent", "this agent cannot upgrade itself: reinstall it");
    }
    String from = tunnel.agentVersion();
    if (offer.version().equals(from)) {
      throw ApiException.conflict("agent", "the agent already runs " + from);
    }
    if (SemanticVersion.older(offer.version(), from)) {
      throw ApiException.conflict(
          "agent", "the agent runs " + from + ", newer than the portal's " + offer.version());
    }
    Optional<Object[]> open = open(deviceId);
    if (open.isPresent()) {
      Instant since = instant(open.get()[3]);
      if (since.isAfter(Instant.now().minus(UNANSWERED))) {
        throw ApiException.conflict(
            "agent", "an upgrade to " + open.get()[2] + " is under way since " + since);
      }
      finish(
          device, open.get(), Audit.FAILED, "no outcome within " + UNANSWERED.toMinutes() + " min");
    }
    try {
      em.createNativeQuery(
              "insert into agent_upgrades (device_id, requested_by, from_version, to_version,"
                  + " requested_at) values (:d, :by, :from, :to, :at)")
          .setParameter("d", deviceId)
          .setParameter("by", admin.username())
          .setParameter("from", from)
          .setParameter("to", offer.version())
          .setParameter("at", Instant.now())
          .executeUpdate();
    } catch (PersistenceException e) {
      // another request (on this node or another) got in first: agent_upgrades_one_open
      throw ApiException.conflict("agent", "an upgrade of this device was just asked for");
    }
    audit.record(
        Audit.by(admin, address)
            .action(ACTION)
            .subject(device.name)
            .device(device.id)
            .detail("asked: " + from + " -> " + offer.version()));
    return new Asked(device.id, device.name, from, offer.version(), tunnel, offer);
  }

  /** Sends the UPGRADE (after {@link #ask} committed, so an instant answer finds its row). */
  public void send(Asked asked) {
    if (!asked.tunnel().offerUpgrade(asked.offer())) {
      answered(asked.deviceId(), Audit.FAILED, "the tunnel closed before the upgrade was sent");
    }
  }

  private ApiException notHere(Device device) {
    Optional<DeviceOwners.Owner> owner = owners.remote(device.id);
    if (owner.isPresent()) {
      return ApiException.conflict(
          "node",
          "node "
              + owner.get().nodeId()
              + " holds this device's tunnel: ask again there (or through the balancer until it"
              + " lands there)");
    }
    return ApiException.conflict("online", "device " + device.name + " is offline");
  }

  /** The latest upgrade of the device, if any was asked for. */
  @Transactional
  public Optional<Status> latest(Principal principal, long deviceId) {
    access.require(principal, Action.MANAGE, deviceId);
    List<?> rows =
        em.createNativeQuery(
                "select from_version, to_version, requested_by, requested_at, finished_at,"
                    + " outcome, detail from agent_upgrades where device_id = :d order by id desc"
                    + " limit 1")
            .setParameter("d", deviceId)
            .getResultList();
    return rows.stream()
        .findFirst()
        .map(
            r -> {
              Object[] c = (Object[]) r;
              return new Status(
                  deviceId,
                  (String) c[0],
                  (String) c[1],
                  (String) c[2],
                  instant(c[3]),
                  instant(c[4]),
                  (String) c[5],
                  (String) c[6]);
            });
  }

  /** Whether the device has an upgrade under way (the bulk upgrade waits for these). */
  @Transactional
  public boolean underWay(long deviceId) {
    return open(deviceId).isPresent();
  }

  /** A tunnel's news: a reconnect ends an upgrade under way; UPGRADE_FAILED fails it. */
  void onTunnel(@ObservesAsync AgentTunnelEvent event) {
    try {
      if (event instanceof AgentTunnelEvent.Online online) {
        QuarkusTransaction.requiringNew().run(() -> online(online));
      } else if (event instanceof AgentTunnelEvent.UpgradeFailed failed) {
        answered(failed.deviceId(), Audit.FAILED, failed.reason());
      }
    } catch (RuntimeException e) {
      LOG.warnf("agent upgrade of device %d not followed up: %s", event.deviceId(), e.toString());
      LOG.debug("stack", e);
    }
  }

  private void online(AgentTunnelEvent.Online online) {
    em.createNativeQuery("update devices set agent_upgradable = :u where id = :d")
        .setParameter("u", online.upgradable())
        .setParameter("d", online.deviceId())
        .executeUpdate();
    Optional<Object[]> open = open(online.deviceId());
    if (open.isEmpty()) {
      return;
    }
    String from = (String) open.get()[1];
    String to = (String) open.get()[2];
    String now = online.agentVersion();
    Device device = em.find(Device.class, online.deviceId());
    if (to.equals(now)) {
      finish(device, open.get(), Audit.OK, "reconnected reporting " + now);
    } else if (now.equals(from)) {
      finish(device, open.get(), Audit.FAILED, "rolled back: reconnected reporting " + now);
    } else {
      finish(device, open.get(), Audit.FAILED, "reconnected reporting " + now + ", not " + to);
    }
  }

  private void answered(long deviceId, String outcome, String detail) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Optional<Object[]> open = open(deviceId);
              if (open.isEmpty()) {
                LOG.infof("device %d: an upgrade answer with none under way: %s", deviceId, detail);
                return;
              }
              finish(em.find(Device.class, deviceId), open.get(), outcome, detail);
            });
  }

  /** id, from, to, requested_at, requested_by of the device's upgrade under way, locked. */
  private Optional<Object[]> open(long deviceId) {
    List<?> rows =
        em.createNativeQuery(
                "select id, from_version, to_version, requested_at, requested_by from agent_upgrades"
                    + " where device_id = :d and outcome is null for update")
            .setParameter("d", deviceId)
            .getResultList();
    return rows.stream().findFirst().map(r -> (Object[]) r);
  }

  /** A timestamptz as the JDBC driver and Hibernate hand it over, as an Instant. */
  private static Instant instant(Object value) {
    if (value == null || value instanceof Instant) {
      return (Instant) value;
    }
    if (value instanceof java.time.OffsetDateTime t) {
      return t.toInstant();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("a time of type " + value.getClass());
  }

  private void finish(Device device, Object[] open, String outcome, String detail) {
    String text = detail.length() > 1000 ? detail.substring(0, 1000) : detail;
    em.createNativeQuery(
            "update agent_upgrades set outcome = :o, detail = :detail, finished_at = :at"
                + " where id = :id")
        .setParameter("o", outcome)
        .setParameter("detail", text)
        .setParameter("at", Instant.now())
        .setParameter("id", ((Number) open[0]).longValue())
        .executeUpdate();
    audit.record(
        Audit.by("device:" + device.name, null, null)
            .action(ACTION)
            .outcome(outcome)
            .subject(device.name)
            .device(device.id)
            .detail(open[1] + " -> " + open[2] + " (asked by " + open[4] + "): " + text));
    LOG.infof(
        "device %s: agent upgrade %s -> %s %s: %s", device.name, open[1], open[2], outcome, text);
  }
}
