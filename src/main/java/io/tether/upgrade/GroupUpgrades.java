package io.tether.upgrade;

import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.audit.Audit;
import io.tether.audit.AuditLog;
import io.tether.device.DeviceGroup;
import io.tether.protocol.AgentUpgrade;
import io.tether.protocol.SemanticVersion;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Upgrades a group's agents in a wave: the online ones (on any node) that can upgrade themselves
 * and are older than the served jar, each one as {@link AgentUpgrades} does it, with at most {@link
 * #AT_ONCE} upgrades of the group under way across the cluster. The wave itself runs on the node it
 * was started on (it ends with that node; the upgrades it sent go on).
 */
@ApplicationScoped
public class GroupUpgrades {
  private static final Logger LOG = Logger.getLogger(GroupUpgrades.class);

  /**
   * Upgrades under way at once in one group, counted in the database over every node (a wave's and
   * any asked one by one): a jar that cannot connect takes at most this many devices away, each for
   * its trial minute, before the wave is seen to fail.
   */
  public static final int AT_ONCE = 4;

  /** How often a wave looks for finished upgrades to start the next ones. */
  static final Duration TICK = Duration.ofSeconds(2);

  /** A wave holds at most this many device ids: a bound on its memory, far above a real group. */
  static final int MAX_DEVICES = 10_000;

  @Inject AgentUpgrades upgrades;
  @Inject UpgradeDispatch dispatch;
  @Inject AuditLog audit;
  @Inject EntityManager em;

  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "group-upgrades");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Wave> waves = new ConcurrentHashMap<>();

  /** What a wave was started with: the devices queued, in order. */
  public record Started(String group, String to, List<String> devices, int atOnce) {}

  record Candidate(long id, String name) {}

  /** The group's id and the devices a wave takes, in order. */
  record Found(long groupId, List<Candidate> devices) {}

  /** One group's wave; touched by the ticker thread only (after it is built). */
  private final class Wave {
    final String group;
    final long groupId;
    final Principal admin;
    final String address;
    final Queue<Candidate> queue;
    final Set<Long> running = new HashSet<>();
    ScheduledFuture<?> future;

    Wave(String group, long groupId, Principal admin, String address, List<Candidate> devices) {
      this.group = group;
      this.groupId = groupId;
      this.admin = admin;
      this.address = address;
      this.queue = new ArrayDeque<>(devices);
    }
  }

  /** Starts a wave over {@code group}'s outdated, capable, online agents. */
  public Started start(Principal admin, String address, String group) {
    AgentUpgrade offer =
        upgrades
            .offer()
            .orElseThrow(
                () ->
                    ApiException.conflict(
                        "agent", "this portal serves no agent jar to upgrade to"));
    Found found = candidates(admin, address, group, offer.version());
    List<Candidate> devices = found.devices();
    Wave wave = new Wave(group, found.groupId(), admin, address, devices);
    if (waves.putIfAbsent(group, wave) != null) {
      throw ApiException.conflict("group", "an agent upgrade of group " + group + " is under way");
    }
    wave.future =
        ticker.scheduleWithFixedDelay(() -> tick(wave), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return new Started(
        group, offer.version(), devices.stream().map(Candidate::name).toList(), AT_ONCE);
  }

  @Transactional
  Found candidates(Principal admin, String address, String group, String to) {
    long groupId =
        DeviceGroup.<DeviceGroup>find("name", group)
            .firstResultOptional()
            .orElseThrow(() -> ApiException.notFound("no group named '" + group + "'"))
            .id;
    List<?> rows =
        em.createNativeQuery(
                "select d.id, d.name, d.agent_version from devices d join device_groups g on g.id"
                    + " = d.group_id where g.name = :g and d.deleted_at is null and d.online and"
                    + " d.agent_upgradable and d.state = 'active' order by d.name")
            .setParameter("g", group)
            .setMaxResults(MAX_DEVICES)
            .getResultList();
    List<Candidate> out = new ArrayList<>();
    for (Object r : rows) {
      Object[] c = (Object[]) r;
      long id = ((Number) c[0]).longValue();
      if (SemanticVersion.older((String) c[2], to)) {
        out.add(new Candidate(id, (String) c[1]));
      }
    }
    audit.record(
        Audit.by(admin, address)
            .action("group.agent-upgrade")
            .subject(group)
            .detail("to " + to + ": " + out.size() + " device(s), " + AT_ONCE + " at a time"));
    return new Found(groupId, out);
  }

  @ActivateRequestContext
  void tick(Wave wave) {
    try {
      wave.running.removeIf(id -> !upgrades.underWay(id));
      while (!wave.queue.isEmpty()) {
        Candidate next = wave.queue.peek();
        try {
          Optional<AgentUpgrades.Asked> asked =
              upgrades.askWithin(wave.admin, wave.address, next.id(), wave.groupId, AT_ONCE);
          if (asked.isEmpty()) {
            break; // the group has AT_ONCE under way: the next tick tries again
          }
          dispatch.send(asked.get());
          wave.running.add(next.id());
        } catch (ApiException e) {
          LOG.infof("group %s: %s not upgraded: %s", wave.group, next.name(), e.getMessage());
        }
        wave.queue.poll();
      }
      if (wave.running.isEmpty() && wave.queue.isEmpty()) {
        waves.remove(wave.group, wave);
        wave.future.cancel(false);
        LOG.infof("group %s: agent upgrade wave done", wave.group);
      }
    } catch (RuntimeException e) {
      LOG.warnf("group %s: agent upgrade wave: %s", wave.group, e.toString());
    }
  }

  @PreDestroy
  void stop() {
    ticker.shutdownNow();
  }
}
