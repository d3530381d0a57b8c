package io.tether.access;

/**
 * Published (CDI event) when rights shrink: whoever holds live tunnels, terminals or link
 * connections for the user or device closes the affected ones. Null fields mean "not about that".
 */
public record AccessChanged(Kind kind, Long userId, Long deviceId, String reason) {
  /** What changed. */
  public enum Kind {
    USER_DISABLED,
    USER_DELETED,
    GRANT_REMOVED,
    TOKEN_REVOKED,
    SESSIONS_REVOKED,
    DEVICE_TOKEN_ROTATED,
    DEVICE_DELETED,
    DEVICE_MOVED
  }

  public static AccessChanged user(Kind kind, long userId, String reason) {
    return new AccessChanged(kind, userId, null, reason);
  }

  public static AccessChanged device(Kind kind, long deviceId, String reason) {
    return new AccessChanged(kind, null, deviceId, reason);
  }
}
