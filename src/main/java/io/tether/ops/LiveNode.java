package io.tether.ops;

import io.tether.boot.NodeIdentity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether a portal with a given node id is connected to a database right now. Every portal keeps a
 * connection open whose {@code ApplicationName} names its node ({@link
 * NodeIdentity#connectionName}), so {@code pg_stat_activity} lists the live nodes without a table
 * that a killed node could leave stale.
 */
final class LiveNode {
  private LiveNode() {}

  /** A one-line description of a live connection of {@code nodeId} to this database, if any. */
  static Optional<String> holding(Connection c, String nodeId) throws SQLException {
    String name = NodeIdentity.connectionName(nodeId);
    if (name.length() > NodeIdentity.APPLICATION_NAME_BYTES) {
      name = name.substring(0, NodeIdentity.APPLICATION_NAME_BYTES);
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "select coalesce(host(client_addr), 'a local socket'), count(*) from pg_stat_activity"
                + " where datname = current_database() and application_name = ?"
                + " and pid <> pg_backend_pid() group by 1 order by 1 limit 1")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(rs.getLong(2) + " connection(s) from " + rs.getString(1));
      }
    }
  }
}
