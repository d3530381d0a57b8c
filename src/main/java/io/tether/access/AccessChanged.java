package io.tether.access;

/**
 * Published (CDI event) when rights shrink: whoever holds live tunnels, terminals or link
 * connections for the user or device closes the affected ones. Null fields mean "not about that".
 */
public record AccessChanged(Kind kind, Long userId, Long deviceId, Long sessionId, String reason) {
  /** What changed. */
  public enum Kind {
    USER_DISABLED,
    USER_DELETED,
    /** The user's admin flag was dropped: what they may reach is now what their grants say. */
    ADMIN_REMOVED,
    GRANT_REMOVED,
    TOKEN_REVOKED,
    /** Every browser session of the user ended, except {@code sessionId} when it is set. */
    SESSIONS_REVOKED,
    /** One browser session ({@code sessionId}) ended: signed out. */
    SESSION_ENDED,
    /** One of the user's device-web sessions was closed: their live device pages re-check. */
    DEVICE_WEB_ENDED,
    DEVICE_TOKEN_ROTATED,
    DEVICE_DELETED,
    DEVICE_MOVED,
    /**
     * Changes may have been missed (a cluster node's event connection dropped and came back): every
     * live socket re-checks its access as it is now.
     */
    RECHECK_ALL
  }

  /** Whether a socket of {@code userId} to {@code deviceId} must re-check its access. */
  public boolean concerns(Long userId, long deviceId) {
    return kind == Kind.RECHECK_ALL
        || (this.userId != null && this.userId.equals(userId))
        || (this.deviceId != null && this.deviceId == deviceId);
  }

  public static AccessChanged user(Kind kind, long userId, String reason) {
    return new AccessChanged(kind, userId, null, null, reason);
  }

  public static AccessChanged device(Kind kind, long deviceId, String reason) {
    return new AccessChanged(kind, null, deviceId, null, reason);
  }

  /** Browser sessions of a user ended: one ({@link Kind#SESSION_ENDED}) or all but one. */
  public static AccessChanged sessions(Kind kind, long userId, Long sessionId, String reason) {
    return new AccessChanged(kind, userId, null, sessionId, reason);
  }
}
