package io.tether.eventrule;

import io.tether.db.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a device's presence change raises, in the transaction that writes it: a drop counts towards
 * flapping and waits out its grace as a pending offline; a device back cancels its pending offline
 * and is then no news ({@code device.online} only follows a {@code device.offline} or a missing
 * report). Plain JDBC on the caller's connection.
 */
public final class PresenceAlerts {
  private PresenceAlerts() {}

  /** The device is back: {@code device.online} unless it only cancelled a pending offline. */
  public static void online(Connection c, long deviceId, String dataJson) throws SQLException {
    if (PendingOffline.cancel(c, deviceId)) {
      return; // back within its grace: neither its drop nor its return is news
    }
    Outbox.deviceEvent(c, "device.online", deviceId, dataJson);
  }

  /** The device dropped at {@code at}: flapping, then the grace decides when it is news. */
  public static void offline(Connection c, long deviceId, Instant at, OfflineGrace settings)
      throws SQLException {
    countDrop(c, deviceId, at, settings.flapping());
    Duration grace = settings.forGroup(groupGrace(c, deviceId));
    if (OfflineGrace.immediate(grace)) {
      Outbox.deviceEvent(c, "device.offline", deviceId, offlineData(at));
    } else {
      PendingOffline.drop(c, deviceId, at, grace.toSeconds());
    }
  }

  /** {@code device.offline}'s data: when the device dropped. */
  static String offlineData(Instant droppedAt) {
    return Outbox.json(Map.of("at", droppedAt.toString()));
  }

  private static Integer groupGrace(Connection c, long deviceId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select g.offline_grace_seconds from devices d join device_groups g"
                + " on g.id = d.group_id where d.id = ?")) {
      s.setLong(1, deviceId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? (Integer) r.getObject(1) : null;
      }
    }
  }

  /** Records the drop, forgets drops older than the window, and raises device.flapping. */
  private static void countDrop(Connection c, long deviceId, Instant at, FlappingRule rule)
      throws SQLException {
    long windowSeconds = FlappingRule.WINDOW.toSeconds();
    try (PreparedStatement s =
        c.prepareStatement(
            "with added as (insert into device_drops (device_id, at) values (?, now())),"
                + " forgot as (delete from device_drops where device_id = ?"
                + " and at < now() - make_interval(secs => ?))"
                + " select flapping, (select count(*) from device_drops where device_id = ?"
                + " and at >= now() - make_interval(secs => ?)) from devices where id = ?")) {
      s.setLong(1, deviceId);
      s.setLong(2, deviceId);
      s.setLong(3, windowSeconds);
      s.setLong(4, deviceId);
      s.setLong(5, windowSeconds);
      s.setLong(6, deviceId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return;
        }
        // the CTE's insert is not visible to the count in the same statement: this drop is + 1
        boolean was = r.getBoolean(1);
        int drops = r.getInt(2) + 1;
        FlappingRule.Decision d = rule.afterDrop(drops, was);
        if (d.flapping() != was) {
          try (PreparedStatement u =
              c.prepareStatement("update devices set flapping = ? where id = ?")) {
            u.setBoolean(1, d.flapping());
            u.setLong(2, deviceId);
            u.executeUpdate();
          }
        }
        if (d.raise()) {
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("at", at.toString());
          data.put("drops", drops);
          data.put("withinSeconds", windowSeconds);
          data.put("threshold", rule.threshold());
          Outbox.deviceEvent(c, "device.flapping", deviceId, Outbox.json(data));
        }
      }
    }
  }
}
