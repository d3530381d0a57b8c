package io.tether.protocol;

/** The payload of REFUSED and CLOSE: a reason code and a human message. */
public record Reason(int code, String message) {
  public static final int NORMAL = 1;
  public static final int UNKNOWN_TARGET = 2;
  public static final int TARGET_BUSY = 3;
  public static final int TARGET_UNAVAILABLE = 4;
  public static final int IO_ERROR = 5;
  public static final int ACCESS_REVOKED = 6;
  public static final int DEVICE_OFFLINE = 7;
  public static final int LIMIT_EXCEEDED = 8;
  public static final int PROTOCOL_ERROR = 9;
  public static final int SHUTTING_DOWN = 10;
  public static final int PEER_CLOSED = 11;

  /** The portal refuses what it could not record where everything must be (portal to users). */
  public static final int RECORDING_REQUIRED = 12;

  /** Messages are cut to this many chars when sent: a reason is a line, not a log. */
  static final int MAX_MESSAGE_CHARS = 256;

  private static final String[] NAMES = {
    "unknown",
    "normal",
    "unknown-target",
    "target-busy",
    "target-unavailable",
    "io-error",
    "access-revoked",
    "device-offline",
    "limit-exceeded",
    "protocol-error",
    "shutting-down",
    "peer-closed",
    "recording-required"
  };

  /** The code of a {@link #label()}; 0 ("unknown") for a label this version does not know. */
  public static int codeOf(String label) {
    for (int i = 1; i < NAMES.length; i++) {
      if (NAMES[i].equals(label)) {
        return i;
      }
    }
    return 0;
  }

  /** A short label; codes this version does not know are tolerated as "unknown". */
  public String label() {
    return code > 0 && code < NAMES.length ? NAMES[code] : NAMES[0];
  }

  public byte[] encode() {
    String text = message;
    if (text.length() > MAX_MESSAGE_CHARS) {
      // Never cut a surrogate pair in half: a lone surrogate would be sent as '?'.
      int cut = MAX_MESSAGE_CHARS;
      if (Character.isHighSurrogate(text.charAt(cut - 1))) {
        cut--;
      }
      text = text.substring(0, cut);
    }
    return new PayloadWriter().u16(code).str(text, ProtocolLimits.MAX_STRING).toBytes();
  }

  /**
   * Decodes a REFUSED or CLOSE payload. Control characters in the message are replaced, not
   * refused: the message is shown and logged as one line, and a bad one is no reason to end a
   * tunnel.
   */
  public static Reason decode(byte[] payload, String what) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, what);
    Reason reason =
        new Reason(r.u16(), PeerText.replaceControls(r.str(ProtocolLimits.MAX_STRING, "message")));
    r.end();
    return reason;
  }

  @Override
  public String toString() {
    return label() + (message.isEmpty() ? "" : ": " + message);
  }
}
