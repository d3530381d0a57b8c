package io.tether.eventrule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;

/**
 * The {@code pending_offline} rows: one device's drop waiting out its grace, or a device of a
 * node's batch (its restart, its loss) waiting for the batch's report. A row is the only state: the
 * device back deletes it (in the transaction that marks it online, on whichever node), the
 * dispatcher deletes it when it reports it, so the one that commits first decides.
 */
public final class PendingOffline {
  /** Why a batch of a node's devices is away. */
  public static final String RESTART = "restart";

  public static final String NODE_DOWN = "node-down";

  private PendingOffline() {}

  /** A drop at {@code at}, due after {@code graceSeconds}; an earlier pending row stays. */
  static void drop(Connection c, long deviceId, Instant at, long graceSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into pending_offline (device_id, dropped_at, due_at)"
                + " values (?, ?, now() + make_interval(secs => ?)) on conflict do nothing")) {
      s.setLong(1, deviceId);
      s.setObject(2, java.sql.Timestamp.from(at));
      s.setLong(3, graceSeconds);
      s.executeUpdate();
    }
  }

  /** The device is back: true when it was pending (its drop is then no news). */
  static boolean cancel(Connection c, long deviceId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("delete from pending_offline where device_id = ?")) {
      s.setLong(1, deviceId);
      return s.executeUpdate() > 0;
    }
  }

  /**
   * The devices online through {@code node} join its batch for {@code cause}, before they are
   * marked offline; due after {@code graceSeconds}, or never (null) until {@link #startBatch}.
   */
  static int batchOfNode(Connection c, String node, String cause, Long graceSeconds)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into pending_offline (device_id, dropped_at, due_at, cause, node_id)"
                + " select id, now(), "
                + due(graceSeconds)
                + ", ?, ? from devices where online and node_id = ? on conflict do nothing")) {
      int i = 1;
      if (graceSeconds != null) {
        s.setLong(i++, graceSeconds);
      }
      s.setString(i++, cause);
      s.setString(i++, node);
      s.setString(i, node);
      return s.executeUpdate();
    }
  }

  /** One device joins the batch of {@code node} for {@code cause} (a drop while it stops). */
  static void joinBatch(Connection c, long deviceId, String node, String cause, Long graceSeconds)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into pending_offline (device_id, dropped_at, due_at, cause, node_id)"
                + " values (?, now(), "
                + due(graceSeconds)
                + ", ?, ?) on conflict do nothing")) {
      int i = 1;
      s.setLong(i++, deviceId);
      if (graceSeconds != null) {
        s.setLong(i++, graceSeconds);
      }
      s.setString(i++, cause);
      s.setString(i, node);
      s.executeUpdate();
    }
  }

  /** {@code devices} (just marked offline) join the batch of {@code node} for {@code cause}. */
  static void batchOf(
      Connection c, Collection<Long> devices, String node, String cause, long graceSeconds)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into pending_offline (device_id, dropped_at, due_at, cause, node_id)"
                + " select unnest(?), now(), now() + make_interval(secs => ?), ?, ?"
                + " on conflict do nothing")) {
      s.setArray(1, c.createArrayOf("bigint", devices.toArray()));
      s.setLong(2, graceSeconds);
      s.setString(3, cause);
      s.setString(4, node);
      s.executeUpdate();
    }
  }

  /** A restarted node's batch becomes due after the grace, counted from now; answers its size. */
  static int startBatch(Connection c, String node, long graceSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "update pending_offline set due_at = now() + make_interval(secs => ?)"
                + " where cause = ? and node_id = ? and due_at = 'infinity'")) {
      s.setLong(1, graceSeconds);
      s.setString(2, RESTART);
      s.setString(3, node);
      return s.executeUpdate();
    }
  }

  private static String due(Long graceSeconds) {
    return graceSeconds == null ? "'infinity'::timestamptz" : "now() + make_interval(secs => ?)";
  }
}
