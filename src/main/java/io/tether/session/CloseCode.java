package io.tether.session;

/**
 * How the portal closes a participant of a session: the WebSocket close code a browser's terminal
 * or data flow socket sees ({@code 4000} + the nearest HTTP status), with its label. Link ports and
 * tether-cli channels map the same verdicts to their own closes. docs/api.md's close-code table
 * lists exactly these (CloseCodeDocsTest).
 */
public enum CloseCode {
  /** The session ended or this participant was removed; the label is the session's close reason. */
  NORMAL(1000, null),
  /** The portal is shutting down. */
  GOING_AWAY(1001, CloseReasons.PORTAL_SHUTDOWN),
  /**
   * The node holding the session drains and the session moves to another node (WebSocket "Service
   * Restart"): reconnect within the resume window to rejoin it in the same role.
   */
  NODE_DRAINING(1012, CloseReasons.NODE_DRAINING),
  /** The participant's own credential ended: sign in again (like HTTP 401). */
  CREDENTIAL_EXPIRED(4401, CloseReasons.CREDENTIAL_EXPIRED),
  /** A viewer tried to start a session: viewers may only watch a live one. */
  NO_LIVE_SESSION(4403, "no-live-session"),
  /** The socket has more waiting unread than its bound: the client stopped reading. */
  SLOW_CONSUMER(4408, "slow-consumer"),
  /** Someone controls the session and the participant asked for exclusive use. */
  BUSY(4409, "busy"),
  /** The device refused the open; the label is the device's reason. */
  REFUSED(4410, null),
  /** The session has {@link SessionLimits#MAX_PARTICIPANTS} participants. */
  TOO_MANY_PARTICIPANTS(4429, "too-many-participants"),
  /** More refusals than {@link SessionLimits#MAX_REFUSALS_PER_SECOND} within a second. */
  INPUT_FLOOD(4429, "input-flood"),
  /** More WebSocket PINGs than {@link SessionLimits#MAX_REFUSALS_PER_SECOND} within a second. */
  PING_FLOOD(4429, "ping-flood");

  private final int code;
  private final String label;

  CloseCode(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The WebSocket close code. */
  public int code() {
    return code;
  }

  /** The fixed label, or null where the label varies (the close reason, the device's refusal). */
  public String label() {
    return label;
  }
}
