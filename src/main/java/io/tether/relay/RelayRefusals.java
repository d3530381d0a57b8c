package io.tether.relay;

import io.tether.api.Problem;
import io.tether.protocol.Reason;

/**
 * A channel the device's node refused, across the relay: that node answers the relayed socket's
 * upgrade with problem JSON whose type names the refusal ({@link #TYPE_PREFIX} and the reason's
 * label) and whose detail is the reason as its own users read it; the relaying node reads it back
 * into the same {@link Reason}, so its user gets the page or close code a local refusal gives.
 * Refusals before the channel (access, limits) are read from their status.
 */
public final class RelayRefusals {
  /** Followed by a {@link Reason#label()}. */
  public static final String TYPE_PREFIX = "urn:tether:problem:channel-refused:";

  private RelayRefusals() {}

  /** What the device's node answers for a channel its device refused. */
  public static Problem problem(Reason reason) {
    return new Problem(TYPE_PREFIX + reason.label(), "Bad Gateway", 502, reason.toString(), null);
  }

  /** The refusal behind a relayed socket's rejected upgrade. */
  static Reason reasonOf(int status, String type, String detail) {
    if (type != null && type.startsWith(TYPE_PREFIX)) {
      String label = type.substring(TYPE_PREFIX.length());
      String said = label + ": ";
      String message =
          detail.startsWith(said)
              ? detail.substring(said.length())
              : detail.equals(label) ? "" : detail;
      return new Reason(Reason.codeOf(label), message);
    }
    int code =
        switch (status) {
          case 401, 403 -> Reason.ACCESS_REVOKED;
          case 429, 503 -> Reason.TARGET_BUSY;
          default -> Reason.TARGET_UNAVAILABLE;
        };
    return new Reason(code, detail);
  }
}
