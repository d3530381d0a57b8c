package io.tether.relay;

import io.tether.boot.NodeIdentity;
import io.tether.cluster.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Which other node holds a device's tunnel, as the route in the database says: the device online on
 * a live node that is not this one. Read on a worker thread when a socket is opened.
 */
@ApplicationScoped
public class DeviceOwners {
  private static final String QUERY =
      "select n.id, n.url, n.epoch from devices d join portal_node n on n.id = d.node_id"
          + " where d.id = ? and d.online and d.deleted_at is null and n.state = 'live'"
          + " and n.id <> ?";

  @Inject Membership membership;
  @Inject NodeIdentity identity;
  @Inject DataSource dataSource;

  /** The node a relayed socket goes to: its id, internal URL and the epoch it is at. */
  public record Owner(String nodeId, URI url, long epoch) {}

  /**
   * The other node holding {@code deviceId}; empty with one node, or when it is here or offline.
   */
  public Optional<Owner> remote(long deviceId) {
    if (!membership.enabled()) {
      return Optional.empty();
    }
    try (Connection db = dataSource.getConnection();
        PreparedStatement q = db.prepareStatement(QUERY)) {
      q.setLong(1, deviceId);
      q.setString(2, identity.nodeId());
      try (ResultSet r = q.executeQuery()) {
        return r.next()
            ? Optional.of(new Owner(r.getString(1), URI.create(r.getString(2)), r.getLong(3)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("route of device " + deviceId + " not read", e);
    }
  }
}
