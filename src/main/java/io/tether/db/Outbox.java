package io.tether.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * Writes webhook events into the outbox, on the caller's connection, so an event commits (or rolls
 * back) with the change it reports. Here, below every feature package, so audit, tunnel and session
 * can raise events without depending on the webhook package that delivers them.
 */
public final class Outbox {
  /**
   * A device event: the device's counter moves on, and the event carries it as {@code sequence}
   * with the device's id and name (a device that no longer exists raises nothing).
   */
  private static final String DEVICE_EVENT =
      "with d as (update devices set event_seq = event_seq + 1 where id = ?"
          + " returning id, name, group_id, event_seq)"
          + " insert into webhook_outbox (type, device_id, group_id, data)"
          + " select ?, d.id, d.group_id, cast(? as jsonb) || jsonb_build_object('device',"
          + " jsonb_build_object('id', d.id, 'name', d.name), 'sequence', d.event_seq) from d";

  /** An event that may name a device (for the group filter) but carries no sequence. */
  private static final String EVENT =
      "insert into webhook_outbox (type, device_id, group_id, data)"
          + " values (?, ?, (select group_id from devices where id = ?), cast(? as jsonb))";

  /** An event about some of a group's devices: the group filter applies, no sequence. */
  private static final String GROUP_EVENT =
      "insert into webhook_outbox (type, group_id, data) values (?, ?, cast(? as jsonb))";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Outbox() {}

  /** An event's data as JSON (a flat map of strings, numbers, booleans and nulls). */
  public static String json(Map<String, ?> data) {
    // PostgreSQL's jsonb takes no NUL (\u0000): a NUL from a peer (an agent's version) must not
    // cost the change its transaction, so it is dropped from the event's text
    Map<String, Object> clean = new java.util.LinkedHashMap<>();
    data.forEach((k, v) -> clean.put(k, v instanceof String text ? text.replace("\0", "") : v));
    return jsonTree(clean);
  }

  /** {@code dataJson}: a JSON object; {@code device} and {@code sequence} are added to it. */
  public static void deviceEvent(Connection c, String type, long deviceId, String dataJson)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(DEVICE_EVENT)) {
      s.setLong(1, deviceId);
      s.setString(2, type);
      s.setString(3, dataJson);
      s.executeUpdate();
    }
  }

  /** {@code data}: JSON for any value Jackson writes (lists and maps too) from portal values. */
  public static String jsonTree(Object data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event data is not JSON: " + e.getMessage(), e);
    }
  }

  /** An event about devices of group {@code groupId}, taken by endpoints of that group. */
  public static void groupEvent(Connection c, String type, long groupId, String dataJson)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(GROUP_EVENT)) {
      s.setString(1, type);
      s.setLong(2, groupId);
      s.setString(3, dataJson);
      s.executeUpdate();
    }
  }

  /** {@code deviceId} may be null; when set, groups filter the event as a device's. */
  public static void event(Connection c, String type, Long deviceId, String dataJson)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(EVENT)) {
      s.setString(1, type);
      s.setObject(2, deviceId, java.sql.Types.BIGINT);
      s.setObject(3, deviceId, java.sql.Types.BIGINT);
      s.setString(4, dataJson);
      s.executeUpdate();
    }
  }
}
