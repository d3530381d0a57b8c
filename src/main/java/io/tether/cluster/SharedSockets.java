package io.tether.cluster;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tether.api.SocketQuota;
import io.tether.boot.NodeIdentity;
import io.tether.db.Periodic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The socket quota across a cluster: each node keeps its own count of every user's sockets per kind
 * in {@code user_sockets}, and a new socket is admitted only while the live nodes' counts add up to
 * less than the bound (one user's admissions serialised by an advisory lock). A node closing a
 * socket takes one off at once; every {@link #REWRITE_EVERY} it rewrites its rows from its own
 * counts, so a decrement lost with the database, or a node's restart, mends itself. Rows of nodes
 * that are not live do not count. With the database away the node's own bound still holds.
 */
@ApplicationScoped
public class SharedSockets implements SocketQuota.Shared {
  private static final Logger LOG = Logger.getLogger(SharedSockets.class);

  /** How often a node writes its counts back whole. */
  static final Duration REWRITE_EVERY = Duration.ofSeconds(30);

  /** The advisory lock class of one user's socket admissions (the user id is the other key). */
  static final int LOCK_CLASS = 0x54534f43;

  @Inject Membership membership;
  @Inject DataSource dataSource;
  @Inject NodeIdentity node;
  @Inject SocketQuota quota;

  private ScheduledExecutorService thread;

  void onStart(@Observes StartupEvent event) {
    if (enabled()) {
      thread = Periodic.every(REWRITE_EVERY, "tether-socket-counts", this::rewrite);
      thread.execute(this::rewrite); // a restarted node's old rows go now
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (thread != null) {
      thread.shutdownNow();
    }
  }

  @Override
  public boolean enabled() {
    return membership.enabled();
  }

  @Override
  public boolean take(SocketQuota.Key key, int limit) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
          s.setInt(1, LOCK_CLASS);
          s.setInt(2, (int) key.userId());
          s.execute();
        }
        if (held(c, key) >= limit) {
          c.rollback();
          return false;
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "insert into user_sockets (node_id, user_id, kind, held) values (?, ?, ?, 1)"
                    + " on conflict (node_id, user_id, kind)"
                    + " do update set held = user_sockets.held + 1")) {
          s.setString(1, node.nodeId());
          s.setLong(2, key.userId());
          s.setString(3, key.kind().name());
          s.executeUpdate();
        }
        c.commit();
        return true;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      LOG.debugf("socket count not shared (this node's bound applies): %s", e.getMessage());
      return true;
    }
  }

  private static long held(Connection c, SocketQuota.Key key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select coalesce(sum(u.held), 0) from user_sockets u"
                + " join portal_node n on n.id = u.node_id"
                + " where u.user_id = ? and u.kind = ? and n.state in ('live', 'draining')")) {
      s.setLong(1, key.userId());
      s.setString(2, key.kind().name());
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  @Override
  public void give(SocketQuota.Key key) {
    ScheduledExecutorService t = thread;
    if (t == null) {
      return;
    }
    t.execute(
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "update user_sockets set held = greatest(held - 1, 0)"
                          + " where node_id = ? and user_id = ? and kind = ?")) {
            s.setString(1, node.nodeId());
            s.setLong(2, key.userId());
            s.setString(3, key.kind().name());
            s.executeUpdate();
          } catch (SQLException e) {
            LOG.debugf("socket count not lowered (mended within %s): %s", REWRITE_EVERY, e);
          }
        });
  }

  /** This node's rows become its counts as they are now. */
  private void rewrite() {
    Map<SocketQuota.Key, Integer> counts = quota.counts();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete =
              c.prepareStatement("delete from user_sockets where node_id = ?");
          PreparedStatement insert =
              c.prepareStatement(
                  "insert into user_sockets (node_id, user_id, kind, held) values (?, ?, ?, ?)")) {
        delete.setString(1, node.nodeId());
        delete.executeUpdate();
        for (Map.Entry<SocketQuota.Key, Integer> e : counts.entrySet()) {
          insert.setString(1, node.nodeId());
          insert.setLong(2, e.getKey().userId());
          insert.setString(3, e.getKey().kind().name());
          insert.setInt(4, e.getValue());
          insert.addBatch();
        }
        insert.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      LOG.debugf("socket counts not rewritten: %s", e.getMessage());
    }
  }
}
