package io.tether.session;

/** Why a session ended, as stored in {@code sessions.close_reason} and shown to participants. */
public final class CloseReasons {
  public static final String CLOSED_BY_USER = "closed-by-user";
  public static final String DEVICE_OFFLINE = "device-offline";
  public static final String ACCESS_REVOKED = "access-revoked";
  public static final String ENDED_BY_ADMIN = "ended-by-admin";
  public static final String PORTAL_SHUTDOWN = "portal-shutdown";
  public static final String PORTAL_CRASHED = "portal-crashed";
  public static final String NODE_LOST = io.tether.cluster.NodeFenced.REASON;

  /**
   * The node holding the session stopped: a session on a serial target moves to the device's new
   * node (resumed there within the window, or ended with this reason); one on a TCP target ends.
   */
  public static final String NODE_DRAINING = "node-draining";

  public static final String TARGET_CLOSED = "target-closed";
  public static final String RECORDING_FAILED = "recording-failed";

  /** The session could not be stored: the portal ends what it cannot account for. */
  public static final String INTERNAL_ERROR = "internal-error";

  /** The participant's own credential ended (token expired, browser session idle or expired). */
  public static final String CREDENTIAL_EXPIRED = "credential-expired";

  /** A forward session whose socket opened no channel to its target for a while. */
  public static final String IDLE = "idle";

  private CloseReasons() {}
}
