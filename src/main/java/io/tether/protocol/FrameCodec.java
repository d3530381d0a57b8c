package io.tether.protocol;

/** Encodes frames to WebSocket binary messages and decodes one whole message to a frame. */
public final class FrameCodec {
  private FrameCodec() {}

  /** The frame as one binary message; refuses payloads over the maximum (enforced on write). */
  public static byte[] encode(Frame frame) {
    return encode(frame.type(), frame.channel(), frame.payload(), 0, frame.payload().length);
  }

  public static byte[] encode(FrameType type, int channel, byte[] payload, int offset, int length) {
    byte[] out = new byte[ProtocolLimits.HEADER_SIZE + length];
    writeHeader(out, type, channel, length);
    System.arraycopy(payload, offset, out, ProtocolLimits.HEADER_SIZE, length);
    return out;
  }

  /**
   * The header of a frame whose payload follows from elsewhere: lets a caller write header and
   * payload into its own buffer with one copy of the payload.
   */
  public static byte[] header(FrameType type, int channel, int length) {
    byte[] out = new byte[ProtocolLimits.HEADER_SIZE];
    writeHeader(out, type, channel, length);
    return out;
  }

  private static void writeHeader(byte[] out, FrameType type, int channel, int length) {
    if (length > ProtocolLimits.MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "payload of " + length + " bytes exceeds the maximum of " + ProtocolLimits.MAX_PAYLOAD);
    }
    try {
      FrameHeader.checkChannel(type, channel);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    FrameHeader.write(out, type, channel, length);
  }

  /**
   * For a receiver that passes DATA on without copying its payload: the channel of a message whose
   * first {@link ProtocolLimits#HEADER_SIZE} bytes are {@code header} and whose length is {@code
   * messageLength}, if it is a DATA frame, validated as {@link #decode} would; 0 if it is another
   * type (decode it whole).
   */
  public static int dataChannel(byte[] header, int messageLength) throws ProtocolException {
    if (messageLength < ProtocolLimits.HEADER_SIZE) {
      throw new ProtocolException(
          "message of " + messageLength + " bytes is shorter than a frame header");
    }
    FrameHeader h = FrameHeader.parse(header, 0);
    if (h.type() != FrameType.DATA) {
      return 0;
    }
    requireLength(h, messageLength);
    if (h.length() == 0) {
      throw new ProtocolException("DATA must carry at least one byte");
    }
    return h.channel();
  }

  /** One frame from one whole WebSocket message; the length field must match the message. */
  public static Frame decode(byte[] message) throws ProtocolException {
    return decode(message, 0, message.length);
  }

  public static Frame decode(byte[] message, int offset, int length) throws ProtocolException {
    if (length < ProtocolLimits.HEADER_SIZE) {
      throw new ProtocolException("message of " + length + " bytes is shorter than a frame header");
    }
    FrameHeader header = FrameHeader.parse(message, offset);
    requireLength(header, length);
    byte[] payload = new byte[header.length()];
    System.arraycopy(message, offset + ProtocolLimits.HEADER_SIZE, payload, 0, payload.length);
    return new Frame(header.type(), header.channel(), payload);
  }

  private static void requireLength(FrameHeader header, int messageLength)
      throws ProtocolException {
    if (header.length() != messageLength - ProtocolLimits.HEADER_SIZE) {
      throw new ProtocolException(
          "length field says "
              + header.length()
              + " bytes but the message carries "
              + (messageLength - ProtocolLimits.HEADER_SIZE));
    }
  }
}
