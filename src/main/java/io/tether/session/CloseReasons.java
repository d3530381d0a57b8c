package io.tether.session;

/** Why a session ended, as stored in {@code sessions.close_reason} and shown to participants. */
public final class CloseReasons {
  public static final String CLOSED_BY_USER = "closed-by-user";
  public static final String DEVICE_OFFLINE = "device-offline";
  public static final String ACCESS_REVOKED = "access-revoked";
  public static final String ENDED_BY_ADMIN = "ended-by-admin";
  public static final String PORTAL_SHUTDOWN = "portal-shutdown";
  public static final String PORTAL_CRASHED = "portal-crashed";
  public static final String TARGET_CLOSED = "target-closed";
  public static final String RECORDING_FAILED = "recording-failed";

  /** The participant's own credential ended (token expired, browser session idle or expired). */
  public static final String CREDENTIAL_EXPIRED = "credential-expired";

  /** The WebSocket close code of {@link #CREDENTIAL_EXPIRED}: sign in again (like HTTP 401). */
  public static final int CREDENTIAL_EXPIRED_CODE = 4401;

  /** A forward session whose socket opened no channel to its target for a while. */
  public static final String IDLE = "idle";

  private CloseReasons() {}
}
