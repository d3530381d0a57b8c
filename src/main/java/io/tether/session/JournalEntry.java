package io.tether.session;

import io.tether.db.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One write of a live session, replayable against a JDBC connection. */
sealed interface JournalEntry {
  void write(Connection c) throws SQLException;

  String describe();

  /** A participant starts a span in one role. */
  record SpanOpened(
      long sessionId, int seq, Long userId, String username, String role, String via, Instant at)
      implements JournalEntry {
    @Override
    public void write(Connection c) throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into session_participants"
                  + " (session_id, seq, user_id, username, role, via, joined_at)"
                  + " values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
        s.setLong(1, sessionId);
        s.setInt(2, seq);
        s.setObject(3, userId);
        s.setString(4, username);
        s.setString(5, role);
        s.setString(6, via);
        s.setTimestamp(7, Timestamp.from(at));
        s.executeUpdate();
      }
    }

    @Override
    public String describe() {
      return "participant " + username + " of session " + sessionId;
    }
  }

  /** A participant's span ends (left, or changed role). */
  record SpanClosed(long sessionId, int seq, Instant at) implements JournalEntry {
    @Override
    public void write(Connection c) throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              "update session_participants set left_at = ?"
                  + " where session_id = ? and seq = ? and left_at is null")) {
        s.setTimestamp(1, Timestamp.from(at));
        s.setLong(2, sessionId);
        s.setInt(3, seq);
        s.executeUpdate();
      }
    }

    @Override
    public String describe() {
      return "end of span " + seq + " of session " + sessionId;
    }
  }

  /**
   * Recorded bytes ({@link io.tether.recording.RecordingFormat}), stored as they are given: the
   * journal packs them ({@link io.tether.recording.ChunkStorage}) on its own thread.
   */
  record Chunk(long sessionId, int seq, long firstMicros, byte[] data) implements JournalEntry {
    /** The same chunk with its data as stored. */
    Chunk packed(io.tether.recording.ChunkStorage storage) {
      byte[] stored = storage.pack(data);
      return stored == data ? this : new Chunk(sessionId, seq, firstMicros, stored);
    }

    @Override
    public void write(Connection c) throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into recording_chunks (session_id, seq, first_micros, data)"
                  + " values (?, ?, ?, ?)")) {
        s.setLong(1, sessionId);
        s.setInt(2, seq);
        s.setLong(3, firstMicros);
        s.setBytes(4, data);
        s.executeUpdate();
      }
    }

    @Override
    public String describe() {
      return "recording chunk " + seq + " of session " + sessionId;
    }
  }

  /** How many channels a forward session opened (written before its end). */
  record Channels(long sessionId, int channels) implements JournalEntry {
    @Override
    public void write(Connection c) throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement("update sessions set channels = ? where id = ?")) {
        s.setInt(1, channels);
        s.setLong(2, sessionId);
        s.executeUpdate();
      }
    }

    @Override
    public String describe() {
      return "channel count of session " + sessionId;
    }
  }

  /** The session is over. */
  record Ended(
      long sessionId,
      String reason,
      Instant at,
      long bytesIn,
      long bytesOut,
      long recordingBytes,
      int recordingGaps)
      implements JournalEntry {
    @Override
    public void write(Connection c) throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              "update sessions set state = 'ended', ended_at = ?, close_reason = ?,"
                  + " bytes_in = ?, bytes_out = ?, recording_bytes = ?, recording_gaps = ?"
                  + " where id = ? and ended_at is null"
                  + " returning device_id, started_at, target, kind")) {
        s.setTimestamp(1, Timestamp.from(at));
        s.setString(2, reason);
        s.setLong(3, bytesIn);
        s.setLong(4, bytesOut);
        s.setLong(5, recordingBytes);
        s.setInt(6, recordingGaps);
        s.setLong(7, sessionId);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) { // once: a session already ended raises nothing more
            raiseEnded(
                c, r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3), r.getString(4));
          }
        }
      }
      leaveAll(c, sessionId, Timestamp.from(at));
    }

    /**
     * {@code session.ended}, in the batch's transaction; and {@code session.recording-failed} when
     * the recording could not keep every byte (gaps) or ended the session.
     */
    private void raiseEnded(
        Connection c, long deviceId, Instant started, String target, String kind)
        throws SQLException {
      SessionEndedEvent.raise(
          c, sessionId, deviceId, started, at, target, kind, reason, bytesIn, bytesOut);
      if (recordingGaps > 0 || CloseReasons.RECORDING_FAILED.equals(reason)) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", sessionId);
        data.put("target", target);
        data.put("reason", reason);
        data.put("recordingBytes", recordingBytes);
        data.put("recordingGaps", recordingGaps);
        Outbox.deviceEvent(c, "session.recording-failed", deviceId, Outbox.json(data));
      }
    }

    @Override
    public String describe() {
      return "end of session " + sessionId;
    }
  }

  /**
   * The node holding the session drains: the row waits {@code window} (database time) for the node
   * its device reconnects to ({@code moving}), with the totals so far and who had control.
   */
  record Moved(
      long sessionId,
      java.time.Duration window,
      Long controllerUserId,
      long bytesIn,
      long bytesOut,
      long recordingBytes,
      int recordingGaps)
      implements JournalEntry {
    @Override
    public void write(Connection c) throws SQLException {
      try (PreparedStatement s =
          c.prepareStatement(
              "update sessions set state = 'moving', moved_at = now(),"
                  + " resume_until = now() + make_interval(secs => ?), resume_controller = ?,"
                  + " bytes_in = ?, bytes_out = ?, recording_bytes = ?, recording_gaps = ?"
                  + " where id = ? and state = 'live'")) {
        s.setLong(1, window.toSeconds());
        s.setObject(2, controllerUserId, java.sql.Types.BIGINT);
        s.setLong(3, bytesIn);
        s.setLong(4, bytesOut);
        s.setLong(5, recordingBytes);
        s.setInt(6, recordingGaps);
        s.setLong(7, sessionId);
        s.executeUpdate();
      }
      leaveAll(c, sessionId, null);
    }

    @Override
    public String describe() {
      return "move of session " + sessionId;
    }
  }

  /** Every open participant span of a session ends at {@code at} (null: the database's now). */
  private static void leaveAll(Connection c, long sessionId, Timestamp at) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "update session_participants set left_at = coalesce(?, now())"
                + " where session_id = ? and left_at is null")) {
      s.setTimestamp(1, at);
      s.setLong(2, sessionId);
      s.executeUpdate();
    }
  }
}
