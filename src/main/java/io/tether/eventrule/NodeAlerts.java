package io.tether.eventrule;

import io.tether.db.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's own events: {@code portal.restarted} when it starts, {@code node.down} when a survivor
 * declares it dead; in both cases the node's devices wait as one batch, so those back within the
 * grace raise nothing and the rest are listed once ({@code node.devices-missing}). Plain JDBC on
 * the caller's connection and transaction.
 */
public final class NodeAlerts {
  private NodeAlerts() {}

  /**
   * The node stops: the devices it holds join its restart batch. In a cluster the others take them,
   * so the grace runs from now; alone, nobody can take them back before the node is up again, so
   * the batch waits for {@link #started}.
   */
  public static void stopping(Connection c, String node, boolean cluster, OfflineGrace grace)
      throws SQLException {
    PendingOffline.batchOfNode(
        c, node, PendingOffline.RESTART, cluster ? grace.batchSeconds() : null);
  }

  /** A device that dropped while its node stops belongs to the restart batch too. */
  public static void droppedWhileStopping(
      Connection c, long deviceId, String node, boolean cluster, OfflineGrace grace)
      throws SQLException {
    PendingOffline.joinBatch(
        c, deviceId, node, PendingOffline.RESTART, cluster ? grace.batchSeconds() : null);
  }

  /**
   * The node starts, before it marks offline what the database still says it holds (a crash): those
   * devices join its restart batch, whose grace starts now; then one {@code portal.restarted}.
   */
  public static void started(Connection c, String node, OfflineGrace grace) throws SQLException {
    long seconds = grace.batchSeconds();
    PendingOffline.batchOfNode(c, node, PendingOffline.RESTART, seconds);
    PendingOffline.startBatch(c, node, seconds);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("node", node);
    data.put("devicesAway", batchSize(c, node, PendingOffline.RESTART));
    data.put("graceSeconds", seconds);
    Outbox.event(c, "portal.restarted", null, Outbox.json(data));
  }

  /**
   * A survivor declared {@code node} dead and marked {@code devices} offline, in this transaction
   * (under the membership's reap lock: one survivor, once): one {@code node.down}.
   */
  public static void down(
      Connection c,
      String node,
      String url,
      String declaredBy,
      Collection<Long> devices,
      int sessions,
      OfflineGrace grace)
      throws SQLException {
    PendingOffline.batchOf(c, devices, node, PendingOffline.NODE_DOWN, grace.batchSeconds());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("node", node);
    data.put("url", url);
    data.put("declaredBy", declaredBy);
    data.put("devicesAway", devices.size());
    data.put("sessionsEnded", sessions);
    data.put("graceSeconds", grace.batchSeconds());
    Outbox.event(c, "node.down", null, Outbox.json(data));
  }

  private static long batchSize(Connection c, String node, String cause) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select count(*) from pending_offline where node_id = ? and cause = ?")) {
      s.setString(1, node);
      s.setString(2, cause);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
