package io.tether.audit;

import io.tether.db.Outbox;
import io.tether.eventrule.LoginBursts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The webhook events an audit entry raises, written in the entry's transaction: always {@code
 * audit.<action>} (the whole audit stream, for a SIEM), and for the device lifecycle's actions the
 * device event as well; failed sign-ins count towards a burst ({@link LoginBursts}). Audit entries
 * hold no secrets (tokens are never audited), so neither do these events. Sending a webhook is
 * never audited per attempt, so no event feeds itself.
 */
final class AuditOutbox {
  /** Audit actions that also raise a device event, and which (only when they succeeded). */
  static final Map<String, String> DEVICE_EVENTS =
      Map.of(
          "device.create", "device.created",
          "device.enroll", "device.created",
          "device.delete", "device.deleted",
          "device.rotate-token", "device.token-rotated");

  /**
   * Audit actions that also raise an event of their own whatever their outcome (a refusal is the
   * news), with the entry's who, what and why: a device event when the entry names a device.
   */
  static final Map<String, String> ENTRY_EVENTS =
      Map.of(
          "link.refused", "link.refused",
          "ingress.refused", "ingress.refused",
          "session.take-over", "session.take-over",
          "auth.lockout", "auth.locked-out",
          "auth.mfa-locked", "auth.mfa-locked");

  /** A sign-in: failed and refused ones count towards {@code auth.login-failed-burst}. */
  static final String SIGN_IN = "auth.login";

  private AuditOutbox() {}

  static void raise(Connection c, AuditEvent e) throws SQLException {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", e.id);
    data.put("at", e.at.toString());
    data.put("actor", e.actor);
    data.put("actorId", e.actorId);
    data.put("address", e.address);
    data.put("action", e.action);
    data.put("outcome", e.outcome);
    data.put("subject", e.subject);
    data.put("deviceId", e.deviceId);
    data.put("detail", e.detail);
    Outbox.event(c, "audit." + e.action, e.deviceId, Outbox.json(data));
    if (SIGN_IN.equals(e.action) && !Audit.OK.equals(e.outcome)) {
      LoginBursts.failed(c, e.subject, e.address);
    }
    String entryEvent = ENTRY_EVENTS.get(e.action);
    if (entryEvent != null) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("at", e.at.toString());
      entry.put("actor", e.actor);
      entry.put("address", e.address);
      entry.put("outcome", e.outcome);
      entry.put("subject", e.subject);
      entry.put("detail", e.detail);
      if (e.deviceId != null) {
        Outbox.deviceEvent(c, entryEvent, e.deviceId, Outbox.json(entry));
      } else {
        Outbox.event(c, entryEvent, null, Outbox.json(entry));
      }
    }
    String deviceEvent = DEVICE_EVENTS.get(e.action);
    if (deviceEvent != null && e.deviceId != null && Audit.OK.equals(e.outcome)) {
      Map<String, Object> device = new LinkedHashMap<>();
      device.put("at", e.at.toString());
      device.put("by", e.actor);
      Outbox.deviceEvent(c, deviceEvent, e.deviceId, Outbox.json(device));
    }
  }
}
