package io.tether.protocol;

/** Encoders and decoders of the small fixed-layout payloads: CREDIT, PING/PONG, TARGET_STATUS. */
public final class Messages {
  private Messages() {}

  /** TARGET_STATUS status codes. */
  public static final int STATUS_OK = 0;

  public static final int STATUS_MISSING = 1;
  public static final int STATUS_ERROR = 2;

  /** A target's status report. */
  public record TargetStatus(String target, int status, String detail) {
    public String label() {
      return switch (status) {
        case STATUS_OK -> "ok";
        case STATUS_MISSING -> "missing";
        default -> "error";
      };
    }
  }

  public static byte[] credit(long bytes) {
    return new PayloadWriter().u32(bytes).toBytes();
  }

  public static long credit(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "CREDIT");
    long bytes = r.u32();
    r.end();
    if (bytes == 0) {
      throw new ProtocolException("CREDIT of 0 bytes");
    }
    return bytes;
  }

  public static byte[] nonce(long nonce) {
    return new PayloadWriter().u64(nonce).toBytes();
  }

  public static long nonce(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "PING/PONG");
    long n = r.u64();
    r.end();
    return n;
  }

  public static byte[] targetStatus(TargetStatus s) {
    return new PayloadWriter()
        .str(s.target(), ProtocolLimits.MAX_TARGET_NAME)
        .u8(s.status())
        .str(s.detail(), ProtocolLimits.MAX_STRING)
        .toBytes();
  }

  public static TargetStatus targetStatus(byte[] payload) throws ProtocolException {
    PayloadReader r = new PayloadReader(payload, "TARGET_STATUS");
    TargetStatus s =
        new TargetStatus(
            r.str(ProtocolLimits.MAX_TARGET_NAME, "target"),
            r.u8(),
            // shown on the device and kept in its targets (jsonb refuses NUL): replaced, not
            // refused
            PeerText.replaceControls(r.str(ProtocolLimits.MAX_STRING, "detail")));
    r.end();
    if (s.status() > STATUS_ERROR) {
      throw new ProtocolException("TARGET_STATUS: unknown status " + s.status());
    }
    return s;
  }

  /** Frames with no payload (OPENED, EOF) must carry none. */
  public static void requireEmpty(Frame frame) throws ProtocolException {
    if (frame.payload().length != 0) {
      throw new ProtocolException(frame.type() + " carries no payload");
    }
  }

  /** DATA carries at least one byte. */
  public static void requireData(Frame frame) throws ProtocolException {
    if (frame.payload().length == 0) {
      throw new ProtocolException("DATA must carry at least one byte");
    }
  }
}
