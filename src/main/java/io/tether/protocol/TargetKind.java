package io.tether.protocol;

/** What kind of endpoint a target is; LINE applies only to serial targets. */
public enum TargetKind {
  SERIAL(1),
  TCP(2);

  private final int code;

  TargetKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static TargetKind fromCode(int code) throws ProtocolException {
    for (TargetKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new ProtocolException("unknown target kind " + code);
  }
}
