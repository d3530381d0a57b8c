package io.tether.protocol;

/** The fixed 12-byte header, validated before any payload is allocated. */
record FrameHeader(FrameType type, int channel, int length) {
  /** Channel ids are u32 on the wire; v1 uses 1..2^31-1 so they fit a Java int. */
  static final long MAX_CHANNEL = Integer.MAX_VALUE;

  static FrameHeader parse(byte[] b, int off) throws ProtocolException {
    FrameType type = FrameType.fromCode(b[off] & 0xFF);
    int flags = b[off + 1] & 0xFF;
    if (flags != 0) {
      throw new ProtocolException(
          "nonzero flags 0x" + Integer.toHexString(flags) + " (v1 defines none)");
    }
    int reserved = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    if (reserved != 0) {
      throw new ProtocolException("nonzero reserved header bits");
    }
    long channel = u32(b, off + 4);
    long length = u32(b, off + 8);
    if (length > ProtocolLimits.MAX_PAYLOAD) {
      throw new ProtocolException(
          TunnelCloseCode.FRAME_TOO_LARGE,
          "payload of " + length + " bytes exceeds the maximum of " + ProtocolLimits.MAX_PAYLOAD);
    }
    checkChannel(type, channel);
    return new FrameHeader(type, (int) channel, (int) length);
  }

  static void checkChannel(FrameType type, long channel) throws ProtocolException {
    if (type.control() && channel != 0) {
      throw new ProtocolException(type + " is a control frame and must use channel 0");
    }
    if (!type.control() && (channel < 1 || channel > MAX_CHANNEL)) {
      throw new ProtocolException(type + " needs a channel id from 1 to " + MAX_CHANNEL);
    }
  }

  static void write(byte[] b, FrameType type, int channel, int length) {
    b[0] = (byte) type.code();
    b[1] = 0;
    b[2] = 0;
    b[3] = 0;
    putU32(b, 4, channel);
    putU32(b, 8, length);
  }

  private static long u32(byte[] b, int off) {
    return ((long) (b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  private static void putU32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
