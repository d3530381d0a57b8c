package io.tether.protocol;

import java.util.Optional;

/** WebSocket close codes of the tunnel, with what an agent should do after each. */
public enum TunnelCloseCode {
  NORMAL(1000, "normal", "reconnect with normal backoff"),
  GOING_AWAY(1001, "going-away", "reconnect with normal backoff"),
  PROTOCOL_ERROR(4000, "protocol-error", "a bug on one side: reconnect with normal backoff"),
  UNSUPPORTED_VERSION(4001, "unsupported-version", "the reason says which side to upgrade"),
  REVOKED(4002, "revoked", "token revoked or device deleted: wait long before retrying"),
  REPLACED(4003, "replaced", "a newer connection of this agent took over: do not fight"),
  DUPLICATE_AGENT(4004, "duplicate-agent", "another installation holds this token: retry slowly"),
  SHUTTING_DOWN(4005, "shutting-down", "reconnect after retry-after seconds plus jitter"),
  HEARTBEAT_TIMEOUT(4006, "heartbeat-timeout", "the peer heard nothing: reconnect"),
  FRAME_TOO_LARGE(4007, "frame-too-large", "a bug on one side: reconnect with normal backoff"),
  LIMIT_EXCEEDED(4008, "limit-exceeded", "too many channels, targets or pending opens"),
  HANDSHAKE_TIMEOUT(4009, "handshake-timeout", "no HELLO in time: reconnect"),
  CREDIT_EXCEEDED(4010, "credit-exceeded", "a peer sent beyond its credit: reconnect"),
  /** Forward sockets only (device tokens do not expire): the user's API token expired. */
  CREDENTIAL_EXPIRED(4401, "credential-expired", "the API token expired: use a new token");

  private final int code;
  private final String label;
  private final String advice;

  TunnelCloseCode(int code, String label, String advice) {
    this.code = code;
    this.label = label;
    this.advice = advice;
  }

  public int code() {
    return code;
  }

  public String label() {
    return label;
  }

  public String advice() {
    return advice;
  }

  public static Optional<TunnelCloseCode> of(int code) {
    for (TunnelCloseCode c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
