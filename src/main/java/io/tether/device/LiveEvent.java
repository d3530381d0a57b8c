package io.tether.device;

import io.tether.access.Principal;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One event of the live stream ({@code GET /api/events}), serialized once for every stream, with
 * what decides who may see it.
 *
 * @param json the SSE data line
 * @param bytes its size in UTF-8, counted against a stream's queue
 * @param aboutDevice whether it is about a device: then only those who may see the device get it
 * @param groupId the device's group (null: unknown, so admins only)
 * @param onlyUser when set, only this user (and admins) get it: an audit entry, which non-admins
 *     read only when it is their own
 */
public record LiveEvent(
    String type, String json, int bytes, boolean aboutDevice, Long groupId, Long onlyUser) {

  static final LiveEvent KEEPALIVE = of("keepalive", "{\"type\":\"keepalive\"}", false, null, null);

  /** Never sent: it ends the stream (rights shrank, the credential ended). */
  static final LiveEvent REVOKED = of("revoked", "{\"type\":\"revoked\"}", false, null, null);

  static LiveEvent of(String type, String json, boolean aboutDevice, Long groupId, Long onlyUser) {
    return new LiveEvent(
        type, json, json.getBytes(StandardCharsets.UTF_8).length, aboutDevice, groupId, onlyUser);
  }

  /**
   * Whether {@code p} may see it: admins everything; others only events about devices of their
   * {@code groups} (the rule of the device list) and, for audit entries, only their own.
   */
  boolean visibleTo(Principal p, Set<Long> groups) {
    if (type.equals("keepalive")) {
      return true;
    }
    if (p.admin()) {
      return true;
    }
    if (onlyUser != null && onlyUser != p.userId()) {
      return false;
    }
    if (!aboutDevice) {
      return onlyUser != null;
    }
    return groupId != null && groups.contains(groupId);
  }
}
