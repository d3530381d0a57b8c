package io.tether.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What a node checks against the cluster's table before it starts, so that a misprovisioned node
 * stops with one line instead of joining: another {@code secret.key} than the cluster's (its token
 * hashes would match nothing), or a {@code node-id} a live node holds (a copied data dir or a
 * restored backup). The first node of a new cluster finds no table yet: Flyway creates it.
 */
public final class ClusterAdmission {
  /**
   * A node silent this long is no longer "live" for the duplicate check (the cluster's dead-after).
   */
  public static final int LIVE_WITHIN_SECONDS = 15;

  /** Why this node may not join, in one line. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private ClusterAdmission() {}

  /** Throws {@link Refused} when this node may not join; SQL trouble is the caller's to report. */
  public static void check(
      String jdbcUrl, Optional<String> user, Optional<String> password, NodeIdentity self)
      throws SQLException {
    try (Connection db =
        DriverManager.getConnection(jdbcUrl, user.orElse(null), password.orElse(null))) {
      if (!tableExists(db)) {
        return;
      }
      try (PreparedStatement s =
          db.prepareStatement(
              "select id from portal_node where fingerprint <> ? order by heartbeat desc limit 1")) {
        s.setString(1, self.fingerprint());
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            throw new Refused(
                "this node's secret.key differs from the cluster's (node "
                    + r.getString(1)
                    + " has another): give every node the same one, with"
                    + " TETHER_SECRET_KEY_FILE or by copying secret.key into the data dir"
                    + " (docs/cluster.md)");
          }
        }
      }
      try (PreparedStatement s =
          db.prepareStatement(
              "select url, extract(epoch from now() - heartbeat)::int from portal_node"
                  + " where id = ? and state in ('live', 'draining')"
                  + " and heartbeat > now() - make_interval(secs => ?)")) {
        s.setString(1, self.nodeId());
        s.setInt(2, LIVE_WITHIN_SECONDS);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            throw new Refused(
                "node-id "
                    + self.nodeId()
                    + " is held by a live node at "
                    + r.getString(1)
                    + " (heartbeat "
                    + r.getInt(2)
                    + " s ago): a copied data dir or a restored backup? delete this data dir's"
                    + " node-id file to give this node a new one");
          }
        }
      }
    }
  }

  private static boolean tableExists(Connection db) throws SQLException {
    try (PreparedStatement s =
            db.prepareStatement("select to_regclass('portal_node') is not null");
        ResultSet r = s.executeQuery()) {
      return r.next() && r.getBoolean(1);
    }
  }
}
