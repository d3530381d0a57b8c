package io.tether.protocol;

/** One frame: type, channel and payload (flags and reserved bits are zero in v1). */
public record Frame(FrameType type, int channel, byte[] payload) {
  public static final byte[] EMPTY = new byte[0];

  public static Frame control(FrameType type, byte[] payload) {
    return new Frame(type, 0, payload);
  }

  public static Frame channel(FrameType type, int channel, byte[] payload) {
    return new Frame(type, channel, payload);
  }

  @Override
  public String toString() {
    return type + "[ch=" + channel + ", " + payload.length + " B]";
  }
}
