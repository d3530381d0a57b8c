package io.tether.session;

import io.tether.boot.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The session rows this node creates, discards and, after a crash, closes. Blocking: workers only.
 */
@ApplicationScoped
public class SessionRows implements SessionStore {
  @Inject DataSource dataSource;
  @Inject NodeIdentity node;

  /** A new live session; answers its id. */
  @Override
  public long create(long deviceId, String target, String recording, Instant startedAt)
      throws SQLException {
    return create(deviceId, target, recording, startedAt, "terminal");
  }

  /** A new live session of a kind ({@code terminal} or {@code forward}); answers its id. */
  long create(long deviceId, String target, String recording, Instant startedAt, String kind)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into sessions"
                    + " (device_id, target, state, node_id, started_at, recording, kind)"
                    + " values (?, ?, 'live', ?, ?, ?, ?) returning id")) {
      s.setLong(1, deviceId);
      s.setString(2, target);
      s.setString(3, node.nodeId());
      s.setTimestamp(4, Timestamp.from(startedAt));
      s.setString(5, recording);
      s.setString(6, kind);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** A session whose device refused the open never happened: its row goes. */
  @Override
  public void discard(long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("delete from sessions where id = ?")) {
      s.setLong(1, id);
      s.executeUpdate();
    }
  }

  /**
   * Closes the sessions this node left unfinished (it was killed): ended at their last recorded
   * activity, with {@code portal-crashed}. Answers how many.
   */
  @Override
  public int closeAbandoned() throws SQLException {
    String lastActivity =
        "coalesce((select s.started_at + max(c.first_micros) * interval '1 microsecond'"
            + " from recording_chunks c where c.session_id = s.id), s.started_at)";
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      int closed;
      try (PreparedStatement s =
          c.prepareStatement(
              "update sessions s set state = 'ended', close_reason = ?, ended_at = "
                  + lastActivity
                  + ", recording_bytes = coalesce((select sum(length(c.data)) from"
                  + " recording_chunks c where c.session_id = s.id), 0)"
                  + " where s.ended_at is null and (s.node_id = ? or s.node_id is null)")) {
        s.setString(1, CloseReasons.PORTAL_CRASHED);
        s.setString(2, node.nodeId());
        closed = s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "update session_participants p set left_at = s.ended_at from sessions s"
                  + " where p.session_id = s.id and p.left_at is null and s.ended_at is not null")) {
        s.executeUpdate();
      }
      c.commit();
      return closed;
    }
  }

  /** The other live node holding live session {@code id}, if another node holds it. */
  Optional<String> otherHolder(long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select s.node_id from sessions s join portal_node n on n.id = s.node_id"
                    + " where s.id = ? and s.ended_at is null and n.state in ('live', 'draining')"
                    + " and n.id <> ?")) {
      s.setLong(1, id);
      s.setString(2, node.nodeId());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    }
  }

  /** Marks a live row ended without a hub (an admin ends a session no node holds). */
  boolean endOrphan(long id, String reason) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "update sessions set state = 'ended', ended_at = now(), close_reason = ?"
                    + " where id = ? and ended_at is null")) {
      s.setString(1, reason);
      s.setLong(2, id);
      return s.executeUpdate() == 1;
    }
  }
}
