package io.tether.tunnel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.boot.NodeIdentity;
import io.tether.boot.TetherConfig;
import io.tether.cluster.ClusterEvents;
import io.tether.cluster.Membership;
import io.tether.db.DatabaseAway;
import io.tether.device.DeviceTarget;
import io.tether.device.PresenceChanged;
import io.tether.eventrule.NodeAlerts;
import io.tether.eventrule.OfflineGrace;
import io.tether.eventrule.PresenceAlerts;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Mirrors the in-memory registry into the devices table, off the event loop: one writer thread, and
 * per device only the latest pending state (a flapping device costs one row write, not a queue).
 * Every write is conditional on the connection generation, so a late write about an old tunnel
 * never overwrites the state of a newer one.
 */
@ApplicationScoped
public class PresenceWriter implements PresenceSink {
  private static final Logger LOG = Logger.getLogger(PresenceWriter.class);

  /** What the database should say about one device's tunnel. */
  public record State(
      long deviceId,
      long groupId,
      long generation,
      boolean online,
      String remoteAddress,
      String agentVersion,
      String agentInstance,
      List<DeviceTarget> targets,
      Instant at) {}

  @Inject EntityManager em;
  @Inject NodeIdentity node;
  @Inject Membership membership;
  @Inject ClusterEvents cluster;
  @Inject TetherConfig config;

  /**
   * In a cluster a route is written only under this node's current epoch: a node that was declared
   * dead while frozen cannot mark a device online through itself when it wakes.
   */
  private static final String CURRENT_EPOCH =
      " and exists (select 1 from portal_node n where n.id = :node and n.epoch = :epoch"
          + " and n.state in ('live', 'draining'))";

  /**
   * In a cluster another installation of the agent (another instance id) holding the device on
   * another live node keeps it: this node's newer tunnel does not take the route (as on one node, a
   * different installation never displaces a live one).
   */
  private static final String NOT_HELD_ELSEWHERE =
      " and not (online and node_id <> :node and agent_instance is distinct from :inst"
          + " and node_id in (select id from portal_node where state in ('live', 'draining')))";

  private static final String HOLDER_ELSEWHERE =
      "select node_id, agent_instance from devices where id = :id and online and node_id <> :node"
          + " and agent_instance is distinct from :inst"
          + " and node_id in (select id from portal_node where state in ('live', 'draining'))";

  @Inject ObjectMapper json;
  @Inject Event<HeldElsewhere> heldElsewhere;
  @Inject Event<PresenceChanged> events;

  /** A state waiting to be written, and whether writing it is news (not a mere refresh). */
  record Pending(State state, boolean announce) {
    /** The newer state wins; news stays news when a refresh of the same tunnel lands on it. */
    Pending merge(Pending next) {
      Pending newer = next.state.generation() >= state.generation() ? next : this;
      return new Pending(newer.state, newer.announce || (announce && sameTunnel(next)));
    }

    private boolean sameTunnel(Pending next) {
      return next.state.generation() == state.generation();
    }
  }

  /**
   * States written in one transaction: a reconnect storm of 10,000 tunnels costs 160 commits, not
   * 10,000 (one each kept the table's presence 10–15 s behind the tunnels on two cores).
   */
  static final int WRITES_PER_TRANSACTION = 64;

  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /**
   * Set at shutdown: pending states are no longer written one by one (with thousands of tunnels
   * closing, that outlived the database); one statement marks every device of this node offline.
   */
  private volatile boolean stopping;

  /**
   * Set when the portal begins to stop (before its tunnels close): a drop from then on is part of
   * the node's restart, not news of its own (docs/webhooks.md, "Offline grace and storms").
   */
  private volatile boolean portalStopping;

  /** How long the writer waits before its next attempt while the database is away. */
  private Duration retryWait = DatabaseAway.RETRY_FIRST;

  /**
   * While a retry is scheduled ({@code System.nanoTime()} before this), a drain asked for by a new
   * submission leaves the queue to it: one attempt per wait, not one per change. Writer thread
   * only.
   */
  private long retryAt = System.nanoTime();

  private final ScheduledThreadPoolExecutor writer = writerThread();

  private static ScheduledThreadPoolExecutor writerThread() {
    ScheduledThreadPoolExecutor writer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "tether-presence");
              t.setDaemon(true);
              return t;
            });
    // at shutdown one statement marks the node's devices offline: no retry is waited for
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return writer;
  }

  private OfflineGrace grace() {
    return OfflineGrace.of(config.alerts());
  }

  /**
   * At start, no device can be online through this node: a crash leaves no ghosts. The devices it
   * held join its restart batch first, and the start raises {@code portal.restarted}.
   */
  void onStart(@Observes StartupEvent event) {
    int fixed =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  em.unwrap(org.hibernate.Session.class)
                      .doWork(c -> NodeAlerts.started(c, node.nodeId(), grace()));
                  return em.createNativeQuery(
                          "update devices set online = false where online and node_id = :node")
                      .setParameter("node", node.nodeId())
                      .executeUpdate();
                });
    if (fixed > 0) {
      LOG.infof("marked %d device(s) offline that this node held before it stopped", fixed);
    }
  }

  /** Queue a change; returns at once. */
  @Override
  public void submit(State state) {
    queue(new Pending(state, true));
  }

  /** Queue a refresh of "last seen"; returns at once. */
  @Override
  public void refresh(State state) {
    queue(new Pending(state, false));
  }

  private void queue(Pending next) {
    pending.merge(next.state().deviceId(), next, Pending::merge);
    if (scheduled.compareAndSet(false, true)) {
      execute(this::drain);
    }
  }

  private void execute(Runnable task) {
    try {
      writer.execute(task);
    } catch (RejectedExecutionException e) {
      // shutting down: onStop marks every device of this node offline anyway
    }
  }

  /** {@code device.target-status}: a target's reported status changed, off the event loop. */
  @Override
  public void targetStatus(long deviceId, String target, String previous, String status) {
    if (stopping) {
      return;
    }
    execute(
        () -> {
          try {
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("at", java.time.Instant.now().toString());
            data.put("target", target);
            data.put("status", status);
            data.put("previous", previous);
            QuarkusTransaction.requiringNew()
                .run(
                    () ->
                        em.unwrap(org.hibernate.Session.class)
                            .doWork(
                                c ->
                                    io.tether.db.Outbox.deviceEvent(
                                        c,
                                        "device.target-status",
                                        deviceId,
                                        io.tether.db.Outbox.json(data))));
          } catch (RuntimeException e) {
            LOG.warnf("target status event of device %d not written: %s", deviceId, e.toString());
          }
        });
  }

  /** A duplicate agent raises its event again only after this long without one. */
  static final java.time.Duration DUPLICATE_EVENT_QUIET = java.time.Duration.ofMinutes(10);

  /**
   * Records a refused duplicate agent on the device (shown as a warning) and raises {@code
   * device.duplicate-agent} once per quiet spell, off the event loop.
   */
  @Override
  public void duplicate(long deviceId, String detail) {
    if (stopping) {
      return; // a warning about an agent of a portal that is stopping: not worth a write
    }
    execute(
        () -> {
          try {
            QuarkusTransaction.requiringNew()
                .run(
                    () -> {
                      String cut = detail.length() > 512 ? detail.substring(0, 512) : detail;
                      // one device.duplicate-agent per quiet spell, not one per refused retry
                      @SuppressWarnings("unchecked")
                      List<Object> last =
                          em.createNativeQuery(
                                  "select duplicate_seen_at from devices where id = :id for update")
                              .setParameter("id", deviceId)
                              .getResultList();
                      em.createNativeQuery(
                              "update devices set duplicate_seen_at = now(),"
                                  + " duplicate_detail = :d where id = :id")
                          .setParameter("d", cut)
                          .setParameter("id", deviceId)
                          .executeUpdate();
                      if (last.isEmpty()
                          || last.get(0) != null
                              && io.tether.api.StoredTimes.instant(last.get(0))
                                  .isAfter(java.time.Instant.now().minus(DUPLICATE_EVENT_QUIET))) {
                        return; // gone, or told within the quiet spell
                      }
                      Map<String, Object> data = new java.util.LinkedHashMap<>();
                      data.put("at", java.time.Instant.now().toString());
                      data.put("detail", cut);
                      em.unwrap(org.hibernate.Session.class)
                          .doWork(
                              c ->
                                  io.tether.db.Outbox.deviceEvent(
                                      c,
                                      "device.duplicate-agent",
                                      deviceId,
                                      io.tether.db.Outbox.json(data)));
                    });
          } catch (RuntimeException e) {
            LOG.warnf("duplicate warning of device %d not written: %s", deviceId, e.toString());
          }
        });
  }

  /** Before the tunnels close (their observer has the default priority, a larger number). */
  void onStopping(@Observes @Priority(1) ShutdownDelayInitiatedEvent event) {
    portalStopping = true;
  }

  /**
   * Marks every device this node holds offline (portal shutdown), waiting for the write; they join
   * the node's restart batch.
   */
  void onStop(@Observes @Priority(10) ShutdownEvent event) {
    stopping = true;
    writer.shutdown();
    try {
      writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              em.unwrap(org.hibernate.Session.class)
                  .doWork(
                      c -> NodeAlerts.stopping(c, node.nodeId(), membership.enabled(), grace()));
              em.createNativeQuery(
                      "update devices set online = false, last_seen = now() where online and node_id = :node")
                  .setParameter("node", node.nodeId())
                  .executeUpdate();
            });
  }

  private void drain() {
    scheduled.set(false);
    if (System.nanoTime() - retryAt < 0) {
      return;
    }
    List<Pending> batch = new ArrayList<>(WRITES_PER_TRANSACTION);
    for (Long id : List.copyOf(pending.keySet())) {
      if (stopping) {
        return;
      }
      Pending next = pending.remove(id);
      if (next != null) {
        batch.add(next);
      }
      if (batch.size() == WRITES_PER_TRANSACTION) {
        if (!writeAll(batch)) {
          return;
        }
        batch.clear();
      }
    }
    if (!batch.isEmpty() && !writeAll(batch)) {
      return;
    }
    retryWait = DatabaseAway.RETRY_FIRST;
  }

  /**
   * Writes pending states in one transaction and announces those that are news; false when the
   * database is away (every state of the batch goes back to wait for the retry). Any other failure
   * writes the batch again one state at a time, so a state that cannot be written drops only
   * itself.
   */
  private boolean writeAll(List<Pending> batch) {
    List<State> news;
    try {
      news =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    List<State> written = new ArrayList<>();
                    for (Pending next : batch) {
                      if (writeAndRaise(next)) {
                        written.add(next.state());
                      }
                    }
                    return written;
                  });
    } catch (RuntimeException e) {
      if (DatabaseAway.in(e)) {
        retryLater(batch);
        return false;
      }
      for (int i = 0; i < batch.size(); i++) {
        if (!writeOne(batch.get(i))) {
          retryLater(batch.subList(i, batch.size()));
          return false;
        }
      }
      return true;
    }
    news.forEach(this::announce);
    return true;
  }

  /**
   * Writes one pending state and announces it when it is news; false when the database is away (the
   * state must not be lost: a device that went offline during a PostgreSQL restart would stay
   * online in the table for good). Any other failure is logged and the state dropped.
   */
  private boolean writeOne(Pending next) {
    try {
      if (QuarkusTransaction.requiringNew().call(() -> writeAndRaise(next))) {
        announce(next.state());
      }
      return true;
    } catch (RuntimeException e) {
      if (DatabaseAway.in(e)) {
        return false;
      }
      LOG.warnf("presence of device %d not written: %s", next.state().deviceId(), e.toString());
      return true;
    }
  }

  /**
   * In the caller's transaction: the state's row and, when it is news, its event (both or neither);
   * true when it is news to announce once committed (a write that lost to a newer route or another
   * installation elsewhere changed nothing).
   */
  private boolean writeAndRaise(Pending next) {
    boolean news = write(next.state()) && next.announce();
    if (news) {
      raiseEvent(next.state());
    }
    return news;
  }

  private void announce(State state) {
    events.fireAsync(new PresenceChanged(state.deviceId(), state.groupId(), state.online()));
    cluster.presenceWritten(state.deviceId(), state.groupId(), state.online(), state.generation());
  }

  /**
   * Puts states the database could not take back (under newer ones that arrived meanwhile) and
   * drains again after a wait; new submissions only join the queue until then.
   */
  private void retryLater(List<Pending> failed) {
    for (Pending back : failed) {
      pending.merge(back.state().deviceId(), back, (current, old) -> old.merge(current));
    }
    retryAt = System.nanoTime() + retryWait.toNanos();
    LOG.warnf(
        "presence of %d device(s) not written yet, the database is away: again in %d ms",
        pending.size(), retryWait.toMillis());
    try {
      writer.schedule(this::drain, retryWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return; // shutting down: onStop marks every device of this node offline anyway
    }
    retryWait = DatabaseAway.nextWait(retryWait, DatabaseAway.RETRY_MAX);
  }

  /**
   * {@code device.online} (unless the device only came back within its grace), or a drop: a pending
   * offline, or while the portal stops, a device of its restart batch.
   */
  private void raiseEvent(State s) {
    em.unwrap(org.hibernate.Session.class)
        .doWork(
            c -> {
              if (s.online()) {
                Map<String, Object> data = new java.util.LinkedHashMap<>();
                data.put("at", s.at().toString());
                data.put("remoteAddress", s.remoteAddress());
                data.put("agentVersion", s.agentVersion());
                PresenceAlerts.online(c, s.deviceId(), io.tether.db.Outbox.json(data));
              } else if (portalStopping) {
                NodeAlerts.droppedWhileStopping(
                    c, s.deviceId(), node.nodeId(), membership.enabled(), grace());
              } else {
                PresenceAlerts.offline(c, s.deviceId(), s.at(), grace());
              }
            });
  }

  private String targetsJson(List<DeviceTarget> targets) {
    try {
      return json.writeValueAsString(targets);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes one device's presence; false when a newer route (or a moved epoch) refused it. */
  private boolean write(State s) {
    if (s.online()) {
      Query online =
          em.createNativeQuery(
                  "update devices set online = true, node_id = :node, connection_gen = :gen,"
                      + " last_seen = :at, remote_address = :addr, agent_version = :ver,"
                      + " agent_instance = :inst, targets = cast(:targets as jsonb)"
                      + " where id = :id and connection_gen <= :gen and deleted_at is null"
                      + (membership.enabled() ? CURRENT_EPOCH + NOT_HELD_ELSEWHERE : ""))
              .setParameter("node", node.nodeId())
              .setParameter("gen", s.generation())
              .setParameter("at", s.at())
              .setParameter("addr", s.remoteAddress())
              .setParameter("ver", s.agentVersion())
              .setParameter("inst", s.agentInstance())
              .setParameter("targets", targetsJson(s.targets()))
              .setParameter("id", s.deviceId());
      if (!membership.enabled()) {
        return online.executeUpdate() == 1;
      }
      online.setParameter("epoch", membership.epoch().orElse(-1L));
      if (online.executeUpdate() == 1) {
        return true;
      }
      List<?> holder =
          em.createNativeQuery(HOLDER_ELSEWHERE)
              .setParameter("id", s.deviceId())
              .setParameter("node", node.nodeId())
              .setParameter("inst", s.agentInstance())
              .getResultList();
      if (!holder.isEmpty()) {
        Object[] row = (Object[]) holder.get(0);
        heldElsewhere.fire(
            new HeldElsewhere(s.deviceId(), s.generation(), (String) row[0], (String) row[1]));
      }
      return false;
    } else {
      return em.createNativeQuery(
                  "update devices set online = false, last_seen = :at"
                      + " where id = :id and connection_gen = :gen")
              .setParameter("at", s.at())
              .setParameter("gen", s.generation())
              .setParameter("id", s.deviceId())
              .executeUpdate()
          == 1;
    }
  }
}
