package io.tether.protocol;

/** Frame types with their fixed wire codes. Control frames use channel 0, the others >= 1. */
public enum FrameType {
  HELLO(0x01, true),
  WELCOME(0x02, true),
  PING(0x03, true),
  PONG(0x04, true),
  TARGET_STATUS(0x05, true),
  /** Portal to agent, only to agents that offered the {@code upgrade} capability (section 15). */
  UPGRADE(0x06, true),
  /** Agent to portal, only in answer to UPGRADE: the upgrade was refused or failed, and why. */
  UPGRADE_FAILED(0x07, true),
  OPEN(0x10, false),
  OPENED(0x11, false),
  REFUSED(0x12, false),
  DATA(0x13, false),
  CREDIT(0x14, false),
  EOF(0x15, false),
  CLOSE(0x16, false),
  LINE(0x17, false);

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final boolean control;

  FrameType(int code, boolean control) {
    this.code = code;
    this.control = control;
  }

  public int code() {
    return code;
  }

  /** Control frames travel on channel 0; channel frames on channels 1 and up. */
  public boolean control() {
    return control;
  }

  public static FrameType fromCode(int code) throws ProtocolException {
    FrameType type = code >= 0 && code < 256 ? BY_CODE[code] : null;
    if (type == null) {
      throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(code));
    }
    return type;
  }
}
