package io.tether.upgrade;

import io.tether.access.Action;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.boot.TetherConfig;
import io.tether.device.Device;
import io.tether.device.DeviceAccess;
import io.tether.enroll.SignedAgent;
import io.tether.protocol.AgentUpgrade;
import io.tether.protocol.SemanticVersion;
import io.tether.relay.DeviceOwners;
import io.tether.tunnel.LiveTunnel;
import io.tether.tunnel.Tunnels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Asks an agent to upgrade itself to the jar this portal serves, on any node: the request is a row
 * in {@code agent_upgrades} (shared by every node), and the node holding the device's tunnel sends
 * the UPGRADE ({@link UpgradeDispatch}); {@link UpgradeOutcomes} follows it to its outcome. Each
 * step is audited as {@code device.agent-upgrade}.
 */
@ApplicationScoped
public class AgentUpgrades {
  /** Two-key advisory locks of this class serialise the asks of one group (second key). */
  static final int GROUP_LOCK_CLASS = 0x54415550;

  @Inject DeviceAccess access;
  @Inject Tunnels tunnels;
  @Inject DeviceOwners owners;
  @Inject SignedAgent signed;
  @Inject AuditLog audit;
  @Inject UpgradeRows rows;
  @Inject TetherConfig config;
  @Inject EntityManager em;

  /** An upgrade asked for and recorded; {@link UpgradeDispatch#send} sends it once committed. */
  public record Asked(long deviceId, String device, String from, String to) {}

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
   * (offline, cannot upgrade itself, not older, one under way). The device's tunnel may be held by
   * any live node.
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
    Agent agent = agent(device);
    if (!agent.upgradable()) {
      throw ApiException.conflict("agent", "this agent cannot upgrade itself: reinstall it");
    }
    String from = agent.version();
    if (offer.version().equals(from)) {
      throw ApiException.conflict("agent", "the agent already runs " + from);
    }
    if (SemanticVersion.older(offer.version(), from)) {
      throw ApiException.conflict(
          "agent", "the agent runs " + from + ", newer than the portal's " + offer.version());
    }
    Optional<UpgradeRows.Open> open = rows.open(deviceId);
    if (open.isPresent()) {
      Duration timeout = config.agentUpgradeTimeout();
      Instant since = open.get().requestedAt();
      if (since.isAfter(Instant.now().minus(timeout))) {
        throw ApiException.conflict(
            "agent", "an upgrade to " + open.get().to() + " is under way since " + since);
      }
      // the sweep closes it within seconds; this request need not wait for it
      rows.finish(device, open.get(), Audit.FAILED, UpgradeRows.unanswered(open.get(), timeout));
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
            .action(UpgradeRows.ACTION)
            .subject(device.name)
            .device(device.id)
            .detail("asked: " + from + " -> " + offer.version()));
    return new Asked(device.id, device.name, from, offer.version());
  }

  /**
   * {@link #ask}, unless {@code group} already has {@code atOnce} upgrades under way (asked on any
   * node, by a wave or one by one): then empty. The count and the new row are one transaction under
   * the group's advisory lock, so waves on several nodes together stay within the bound.
   */
  @Transactional
  public Optional<Asked> askWithin(
      Principal admin, String address, long deviceId, long groupId, int atOnce) {
    em.createNativeQuery("select pg_advisory_xact_lock(:c, :g)")
        .setParameter("c", GROUP_LOCK_CLASS)
        .setParameter("g", (int) groupId)
        .getSingleResult();
    Number open =
        (Number)
            em.createNativeQuery(
                    "select count(*) from agent_upgrades u join devices d on d.id = u.device_id"
                        + " where u.outcome is null and d.group_id = :g")
                .setParameter("g", groupId)
                .getSingleResult();
    if (open.intValue() >= atOnce) {
      return Optional.empty();
    }
    return Optional.of(ask(admin, address, deviceId));
  }

  /** What the node holding the tunnel knows of the device's agent. */
  private record Agent(String version, boolean upgradable) {}

  /**
   * The agent as its tunnel says (held here) or as the holding node recorded it; 409 when no live
   * node holds the device.
   */
  private Agent agent(Device device) {
    Optional<LiveTunnel> here = tunnels.local(device.id);
    if (here.isPresent()) {
      return new Agent(here.get().agentVersion(), here.get().upgradable());
    }
    if (owners.remote(device.id).isEmpty()) {
      throw ApiException.conflict("online", "device " + device.name + " is offline");
    }
    return new Agent(device.agentVersion, device.agentUpgradable);
  }

  /** The latest upgrade of the device, if any was asked for. */
  @Transactional
  public Optional<Status> latest(Principal principal, long deviceId) {
    access.require(principal, Action.MANAGE, deviceId);
    List<?> found =
        em.createNativeQuery(
                "select from_version, to_version, requested_by, requested_at, finished_at,"
                    + " outcome, detail from agent_upgrades where device_id = :d order by id desc"
                    + " limit 1")
            .setParameter("d", deviceId)
            .getResultList();
    return UpgradeRows.first(
        found,
        c ->
            new Status(
                deviceId,
                (String) c[0],
                (String) c[1],
                (String) c[2],
                UpgradeRows.instant(c[3]),
                UpgradeRows.instant(c[4]),
                (String) c[5],
                (String) c[6]));
  }

  /** Whether the device has an upgrade under way (the bulk upgrade waits for these). */
  @Transactional
  public boolean underWay(long deviceId) {
    return rows.open(deviceId).isPresent();
  }
}
