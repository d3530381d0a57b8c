package io.tether.session;

import io.tether.db.Outbox;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code session.ended} into the outbox, in the transaction that ends the row: one session's end
 * from its hub, and the ends made in bulk (a crashed node's sessions, moves nobody resumed, an
 * admin ending a session no node holds), so a receiver sees every session end exactly once.
 */
final class SessionEndedEvent {
  /**
   * The columns {@link #raiseEach} reads, in order: an {@code update sessions … returning} list.
   */
  static final String RETURNING =
      " returning id, device_id, started_at, ended_at, target, kind, close_reason,"
          + " bytes_in, bytes_out";

  private SessionEndedEvent() {}

  static void raise(
      Connection c,
      long sessionId,
      long deviceId,
      Instant started,
      Instant ended,
      String target,
      String kind,
      String reason,
      long bytesIn,
      long bytesOut)
      throws SQLException {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", sessionId);
    data.put("target", target);
    data.put("kind", kind);
    data.put("reason", reason);
    data.put("startedAt", started.toString());
    data.put("endedAt", ended.toString());
    data.put("durationMs", Math.max(0, Duration.between(started, ended).toMillis()));
    data.put("bytesIn", bytesIn);
    data.put("bytesOut", bytesOut);
    Outbox.deviceEvent(c, "session.ended", deviceId, Outbox.json(data));
  }

  /** Raises one event per row of a result with the {@link #RETURNING} columns; answers how many. */
  static int raiseEach(Connection c, ResultSet rows) throws SQLException {
    int n = 0;
    while (rows.next()) {
      Timestamp ended = rows.getTimestamp(4);
      Timestamp started = rows.getTimestamp(3);
      raise(
          c,
          rows.getLong(1),
          rows.getLong(2),
          started.toInstant(),
          ended == null ? started.toInstant() : ended.toInstant(),
          rows.getString(5),
          rows.getString(6),
          rows.getString(7),
          rows.getLong(8),
          rows.getLong(9));
      n++;
    }
    return n;
  }
}
