package io.tether.eventrule;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.boot.TetherConfig;
import io.tether.db.Outbox;
import io.tether.db.Periodic;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Reports pending offlines whose grace ran out, on every node but one at a time (an advisory lock,
 * and the rows taken {@code FOR UPDATE SKIP LOCKED} against a device coming back at that moment): a
 * single drop becomes {@code device.offline}, a node's batch becomes {@code node.devices-missing}
 * once its first row is due. A node that stops or dies mid-grace leaves the rows to the others.
 */
@ApplicationScoped
public class OfflineDispatcher {
  private static final Logger LOG = Logger.getLogger(OfflineDispatcher.class);

  /** How late after its due time a pending offline is reported, at most (plus the webhook's). */
  static final Duration POLL = Duration.ofSeconds(1);

  /** Single drops reported per tick. */
  static final int BATCH = 500;

  /** Held by the node reporting, for its transaction. */
  static final long LOCK = 0x7465_7468_6572_0010L;

  @Inject DataSource dataSource;
  @Inject TetherConfig config;

  /** How often counts that no longer matter are deleted. */
  static final Duration FORGET_EVERY = Duration.ofMinutes(10);

  private ScheduledExecutorService ticker;

  /** {@code System.nanoTime()} of the next {@link #forget}; the ticker thread only. */
  private long nextForget = System.nanoTime();

  void onStart(@Observes StartupEvent event) {
    ticker = Periodic.every(POLL, "tether-offline-grace", this::tick);
  }

  void onStop(@Observes @Priority(5) ShutdownEvent event) {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }

  private void tick() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (locked(c)) {
          reportSingles(c);
          reportBatches(c);
          if (System.nanoTime() - nextForget >= 0) {
            nextForget = System.nanoTime() + FORGET_EVERY.toNanos();
            forget(c);
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("pending offlines not reported yet: %s (again in %d ms)", e, POLL.toMillis());
    }
  }

  /**
   * Drops and sign-in failures older than their windows: a key seen once (a sprayed address) would
   * otherwise stay for good, as its own next failure is what forgets them.
   */
  private static void forget(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "with drops as (delete from device_drops where at < now() - make_interval(secs => ?)),"
                + " buckets as (delete from login_failure_buckets"
                + " where bucket < now() - make_interval(secs => ?))"
                + " delete from login_bursts where last_failure_at < now() - make_interval(secs => ?)")) {
      s.setLong(1, FlappingRule.WINDOW.toSeconds());
      s.setLong(2, BurstRule.LOGIN.window().toSeconds());
      s.setLong(3, BurstRule.LOGIN.window().toSeconds());
      s.executeUpdate();
    }
  }

  private static boolean locked(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
      s.setLong(1, LOCK);
      try (ResultSet r = s.executeQuery()) {
        return r.next() && r.getBoolean(1);
      }
    }
  }

  private static void reportSingles(Connection c) throws SQLException {
    List<Object[]> due = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "delete from pending_offline where device_id in (select device_id from pending_offline"
                + " where cause is null and due_at <= now() order by due_at limit ?"
                + " for update skip locked) returning device_id, dropped_at")) {
      s.setInt(1, BATCH);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          due.add(new Object[] {r.getLong(1), r.getTimestamp(2).toInstant()});
        }
      }
    }
    for (Object[] d : due) {
      Outbox.deviceEvent(
          c, "device.offline", (Long) d[0], PresenceAlerts.offlineData((java.time.Instant) d[1]));
    }
  }

  private void reportBatches(Connection c) throws SQLException {
    List<String[]> batches = new ArrayList<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "select distinct node_id, cause from pending_offline"
                    + " where cause is not null and due_at <= now()");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        batches.add(new String[] {r.getString(1), r.getString(2)});
      }
    }
    for (String[] b : batches) {
      List<MissingReport.Missing> missing = takeBatch(c, b[0], b[1]);
      long grace = OfflineGrace.of(config.alerts()).batchSeconds();
      for (Map.Entry<Long, Map<String, Object>> e :
          MissingReport.byGroup(b[0], b[1], grace, missing).entrySet()) {
        Outbox.groupEvent(c, "node.devices-missing", e.getKey(), Outbox.jsonTree(e.getValue()));
      }
      LOG.infof(
          "%d device(s) not back within %d s after node %s's %s",
          missing.size(), grace, b[0], b[1]);
    }
  }

  /** Deletes a whole batch (rows due or not: one report) and answers its devices. */
  private static List<MissingReport.Missing> takeBatch(Connection c, String node, String cause)
      throws SQLException {
    List<MissingReport.Missing> missing = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "with gone as (delete from pending_offline where device_id in (select device_id"
                + " from pending_offline where node_id = ? and cause = ? for update skip locked)"
                + " returning device_id, dropped_at)"
                + " select d.group_id, d.id, d.name, gone.dropped_at from gone"
                + " join devices d on d.id = gone.device_id where d.deleted_at is null"
                + " order by d.group_id, d.name")) {
      s.setString(1, node);
      s.setString(2, cause);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          missing.add(
              new MissingReport.Missing(
                  r.getLong(1), r.getLong(2), r.getString(3), r.getTimestamp(4).toInstant()));
        }
      }
    }
    return missing;
  }
}
