package io.tether.cluster;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.audit.AsyncAudit;
import io.tether.audit.Audit;
import io.tether.boot.ClusterAdmission;
import io.tether.boot.NodeIdentity;
import io.tether.boot.TetherConfig;
import io.tether.db.Periodic;
import io.tether.device.PresenceChanged;
import io.tether.eventrule.NodeAlerts;
import io.tether.eventrule.OfflineGrace;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * This node's place in the cluster. Every {@link #RENEW_EVERY} it renews its heartbeat row under
 * its epoch; unrenewed for {@link #NOT_SERVING_AFTER} it stops taking new tunnels and sessions
 * (live ones go on: the data plane needs no database); finding its epoch moved on, it learns it was
 * declared dead, ends what it holds ({@link NodeFenced}) and rejoins under a new epoch. It also
 * judges the others: a node silent for {@link #DEAD_AFTER} (the database's clock) first loses its
 * database sessions (so nothing it locked when it froze stays locked), then, under an advisory
 * lock, is declared dead, its devices offline, its sessions ended. A node back from a database
 * outage waits one full dead-time before judging, so the first one back never declares everyone
 * dead. With no {@code TETHER_NODE_URL} none of this runs and {@link #serving()} is always true.
 */
@ApplicationScoped
public class Membership {
  private static final Logger LOG = Logger.getLogger(Membership.class);

  static final Duration RENEW_EVERY = Duration.ofSeconds(3);
  static final Duration NOT_SERVING_AFTER = Duration.ofSeconds(10);
  static final Duration DEAD_AFTER = Duration.ofSeconds(ClusterAdmission.LIVE_WITHIN_SECONDS);

  @Inject TetherConfig config;
  @Inject NodeIdentity identity;
  @Inject DataSource dataSource;
  @Inject AsyncAudit audit;
  @Inject Event<NodeFenced> fenced;
  @Inject Event<PresenceChanged> presence;
  @Inject jakarta.enterprise.inject.Instance<ClusterEvents> events;

  /** Monotonic time, for this node's own deadlines only. */
  private final Clock clock = System::nanoTime;

  private volatile long epoch = -1;
  private volatile long renewedAt;
  private volatile boolean draining;
  private long judgingFrom;
  private boolean databaseLost;
  private ScheduledExecutorService thread;

  interface Clock {
    long nanoTime();
  }

  /** True when this portal is one of several nodes. */
  public boolean enabled() {
    return config.cluster().nodeUrl().isPresent();
  }

  /** This node's current epoch; empty with one node or while it rejoins. */
  public Optional<Long> epoch() {
    long e = epoch;
    return e < 0 ? Optional.empty() : Optional.of(e);
  }

  /**
   * Whether this node takes new tunnels and sessions: always with one node; in a cluster, while its
   * heartbeat is fresh, it is not fenced and not draining.
   */
  public boolean serving() {
    if (!enabled()) {
      return true;
    }
    return epoch >= 0 && !draining && clock.nanoTime() - renewedAt < NOT_SERVING_AFTER.toNanos();
  }

  /** Seconds since this node last renewed its heartbeat (a gauge: rising means trouble). */
  public double secondsSinceRenewal() {
    return (clock.nanoTime() - renewedAt) / 1e9;
  }

  /** Why {@link #serving()} is false, for a refusal or the readiness check; empty when serving. */
  public Optional<String> notServingBecause() {
    if (serving()) {
      return Optional.empty();
    }
    if (draining) {
      return Optional.of("this node is draining");
    }
    if (epoch < 0) {
      return Optional.of("this node is rejoining the cluster");
    }
    return Optional.of(
        "this node has not renewed its heartbeat for "
            + (clock.nanoTime() - renewedAt) / 1_000_000_000
            + " s (database unreachable?)");
  }

  void onStart(@Observes @Priority(10) StartupEvent event) {
    if (!enabled()) {
      return;
    }
    try {
      join("joined");
    } catch (ClusterConflict e) {
      LOG.error(e.getMessage() + ": this node stops");
      Quarkus.asyncExit(2);
      return;
    }
    thread = Periodic.every(RENEW_EVERY, "tether-membership", this::tick);
  }

  /** Draining first: the balancer's readiness check and new tunnels see it at once. */
  void onStopping(@Observes ShutdownDelayInitiatedEvent event) {
    if (enabled()) {
      draining = true;
      writeState("draining");
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (thread == null) {
      return;
    }
    thread.shutdownNow();
    writeState("stopped");
  }

  /** The nodes of the cluster as the table has them. */
  public List<NodeRows.Node> nodes() throws SQLException {
    try (Connection db = dataSource.getConnection()) {
      return NodeRows.list(db, (int) NOT_SERVING_AFTER.toSeconds());
    }
  }

  /**
   * The generation of a tunnel being welcomed: in a cluster the database's sequence, so a device's
   * newer route wins on every node; alone, empty (the node's own counter serves). Blocking.
   */
  public OptionalLong nextGeneration() throws SQLException {
    if (!enabled()) {
      return OptionalLong.empty();
    }
    try (Connection db = dataSource.getConnection()) {
      return OptionalLong.of(NodeRows.nextGeneration(db));
    }
  }

  /** The devices online through this node, as the table has them. */
  long devicesHere() throws SQLException {
    try (Connection db = dataSource.getConnection();
        java.sql.PreparedStatement s =
            db.prepareStatement("select count(*) from devices where online and node_id = ?")) {
      s.setString(1, identity.nodeId());
      try (java.sql.ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private void tick() {
    try (Connection db = dataSource.getConnection()) {
      long now = clock.nanoTime();
      if (databaseLost) {
        databaseLost = false;
        judgingFrom = now + DEAD_AFTER.toNanos();
        LOG.infof(
            "the database answers again: this node judges other nodes after %d s",
            DEAD_AFTER.toSeconds());
      }
      if (!NodeRows.renew(db, identity.nodeId(), epoch)) {
        fence();
        return;
      }
      long renewed = clock.nanoTime();
      if (renewed - renewedAt > 2 * RENEW_EVERY.toNanos()) {
        // the database (or this node) stalled: the others could not renew either, so nobody is
        // judged until every node had a full dead-time to renew again
        judgingFrom = renewed + DEAD_AFTER.toNanos();
        LOG.infof(
            "heartbeat renewed after %d s: this node judges other nodes after %d s",
            (renewed - renewedAt) / 1_000_000_000, DEAD_AFTER.toSeconds());
      }
      renewedAt = renewed;
      now = renewed;
      if (now - judgingFrom >= 0 && !draining) {
        judge(db);
      }
    } catch (SQLException | RuntimeException e) {
      if (!databaseLost) {
        databaseLost = true;
        LOG.warnf(
            "cannot renew this node's heartbeat (%s): live tunnels go on; new ones are refused"
                + " after %d s",
            e.getMessage(), NOT_SERVING_AFTER.toSeconds());
      }
    }
  }

  private void judge(Connection db) throws SQLException {
    int ended = NodeRows.endSessionsOfSilent(db, identity.nodeId(), (int) DEAD_AFTER.toSeconds());
    if (ended > 0) {
      LOG.infof(
          "ended %d database session(s) of nodes silent for %d s: whatever they locked is free",
          ended, DEAD_AFTER.toSeconds());
    }
    db.setAutoCommit(false);
    try {
      List<NodeRows.Lost> lost = NodeRows.reap(db, identity.nodeId(), (int) DEAD_AFTER.toSeconds());
      for (NodeRows.Lost node : lost) { // with the reap: one survivor raises it, once
        NodeAlerts.down(
            db,
            node.id(),
            node.url(),
            identity.nodeId(),
            node.offline().stream().map(d -> d[0]).toList(),
            node.sessions(),
            OfflineGrace.of(config.alerts()));
      }
      db.commit();
      for (NodeRows.Lost node : lost) {
        // the fleet pages of every node show the dead node's devices offline without a reload
        for (long[] device : node.offline()) {
          presence.fireAsync(new PresenceChanged(device[0], device[1], false));
          events.get().presenceWritten(device[0], device[1], false, 0);
        }
        LOG.warnf(
            "node %s (%s) silent for %d s: declared dead; %d device(s) offline, %d session(s)"
                + " ended",
            node.id(), node.url(), DEAD_AFTER.toSeconds(), node.devices(), node.sessions());
        audit.submit(
            Audit.by("node:" + identity.nodeId(), null, null)
                .action("node.lost")
                .subject("node:" + node.id())
                .detail(
                    "silent for "
                        + DEAD_AFTER.toSeconds()
                        + " s; "
                        + node.devices()
                        + " device(s) offline, "
                        + node.sessions()
                        + " session(s) ended"));
      }
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  /** Declared dead while away: end what this node holds, then come back under a new epoch. */
  private void fence() {
    long old = epoch;
    epoch = -1;
    LOG.warnf(
        "this node was declared dead while away (epoch %d moved on): ending its tunnels and"
            + " sessions, then rejoining",
        old);
    fenced.fire(new NodeFenced(identity.nodeId(), old));
    try {
      join("rejoined");
    } catch (ClusterConflict e) {
      LOG.error(e.getMessage() + ": this node stops");
      Quarkus.asyncExit(2);
    }
  }

  private void join(String how) {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      long joined;
      try {
        joined =
            NodeRows.join(
                db,
                identity.nodeId(),
                config.cluster().nodeUrl().orElseThrow(),
                identity.fingerprint(),
                (int) DEAD_AFTER.toSeconds());
        db.commit();
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      }
      long now = clock.nanoTime();
      renewedAt = now;
      judgingFrom = now + DEAD_AFTER.toNanos();
      epoch = joined;
      LOG.infof("this node %s the cluster (epoch %d)", how, joined);
      audit.submit(
          Audit.by("node:" + identity.nodeId(), null, null)
              .action("node." + how)
              .subject("node:" + identity.nodeId())
              .detail("epoch " + joined + " at " + config.cluster().nodeUrl().orElseThrow()));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot join the cluster: " + e.getMessage(), e);
    }
  }

  private void writeState(String state) {
    long e = epoch;
    if (e < 0) {
      return;
    }
    try (Connection db = dataSource.getConnection()) {
      NodeRows.state(db, identity.nodeId(), e, state);
    } catch (SQLException ex) {
      LOG.warnf("cannot mark this node %s: %s", state, ex.getMessage());
    }
  }
}
