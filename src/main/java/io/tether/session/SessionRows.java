package io.tether.session;

import io.tether.boot.NodeIdentity;
import io.tether.db.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
    try (Connection c = dataSource.getConnection()) {
      // the row and its session.started event commit together
      c.setAutoCommit(false);
      try {
        long id = insert(c, deviceId, target, recording, startedAt, kind);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("target", target);
        data.put("kind", kind);
        data.put("recording", recording);
        data.put("startedAt", startedAt.toString());
        Outbox.deviceEvent(c, "session.started", deviceId, Outbox.json(data));
        c.commit();
        return id;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private long insert(
      Connection c, long deviceId, String target, String recording, Instant startedAt, String kind)
      throws SQLException {
    try (PreparedStatement s =
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

  @Override
  public java.util.OptionalLong resumable(long deviceId, String target) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select id from sessions where device_id = ? and target = ? and state = 'moving'"
                    + " and resume_until > now() order by id desc limit 1")) {
      s.setLong(1, deviceId);
      s.setString(2, target);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? java.util.OptionalLong.of(r.getLong(1)) : java.util.OptionalLong.empty();
      }
    }
  }

  @Override
  public Optional<SessionResume> claim(long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "update sessions s set state = 'live', node_id = ?"
                    + " where s.id = ? and s.state = 'moving' and s.resume_until > now()"
                    + " returning"
                    + " (extract(epoch from now() - s.started_at) * 1000000)::bigint,"
                    + " coalesce((select max(seq) from recording_chunks where session_id = s.id), 0),"
                    + " coalesce((select max(first_micros) from recording_chunks"
                    + " where session_id = s.id), 0),"
                    + " coalesce((select max(seq) from session_participants"
                    + " where session_id = s.id), 0),"
                    + " s.bytes_in, s.bytes_out, s.recording_bytes, s.recording_gaps,"
                    + " s.resume_controller,"
                    + " (extract(epoch from s.resume_until - now()) * 1000)::bigint")) {
      s.setString(1, node.nodeId());
      s.setLong(2, id);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        long controller = r.getLong(9);
        return Optional.of(
            new SessionResume(
                id,
                // never before what is recorded: node clocks agree only within seconds
                Math.max(r.getLong(1), r.getLong(3) + 1),
                r.getInt(2),
                r.getInt(4),
                r.getLong(5),
                r.getLong(6),
                r.getLong(7),
                r.getInt(8),
                r.wasNull() ? null : controller,
                Math.max(0, r.getLong(10))));
      }
    }
  }

  /** A moving session nobody resumed in its window. */
  record Unresumed(long id, long deviceId, String deviceName, String target) {}

  /**
   * Ends the moving sessions whose window passed (no node claimed them): ended when their node let
   * go, {@code node-draining}. Any node may run it at any time: each row ends once.
   */
  java.util.List<Unresumed> endUnresumed() throws SQLException {
    java.util.List<Unresumed> ended = new java.util.ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "update sessions s set state = 'ended', ended_at = s.moved_at, close_reason = ?,"
                  + " resume_until = null from devices d"
                  + " where d.id = s.device_id and s.state = 'moving' and s.resume_until <= now()"
                  + " returning s.id, s.device_id, d.name, s.target, s.started_at, s.ended_at,"
                  + " s.kind, s.bytes_in, s.bytes_out")) {
        s.setString(1, CloseReasons.NODE_DRAINING);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            ended.add(new Unresumed(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4)));
            SessionEndedEvent.raise(
                c,
                r.getLong(1),
                r.getLong(2),
                r.getTimestamp(5).toInstant(),
                r.getTimestamp(6).toInstant(),
                r.getString(4),
                r.getString(7),
                CloseReasons.NODE_DRAINING,
                r.getLong(8),
                r.getLong(9));
          }
        }
      }
      c.commit();
    }
    return ended;
  }

  /** A session whose device refused the open never happened: its row goes. */
  @Override
  public void discard(long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        // a session that once moved between nodes is never discarded, whichever hub asks
        PreparedStatement s =
            c.prepareStatement("delete from sessions where id = ? and moved_at is null")) {
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
                  + " where s.ended_at is null and (s.node_id = ? or s.node_id is null)"
                  + " and (s.state <> 'moving' or s.resume_until < now())"
                  + SessionEndedEvent.RETURNING)) {
        s.setString(1, CloseReasons.PORTAL_CRASHED);
        s.setString(2, node.nodeId());
        try (ResultSet r = s.executeQuery()) {
          closed = SessionEndedEvent.raiseEach(c, r);
        }
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
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "update sessions set state = 'ended', ended_at = now(), close_reason = ?"
                  + " where id = ? and ended_at is null"
                  + SessionEndedEvent.RETURNING)) {
        s.setString(1, reason);
        s.setLong(2, id);
        int ended;
        try (ResultSet r = s.executeQuery()) {
          ended = SessionEndedEvent.raiseEach(c, r);
        }
        c.commit();
        return ended == 1;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
