package io.tether.tunnel;

import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.vertx.core.buffer.Buffer;

/**
 * DATA frames as WebSocket messages: built with one copy of the payload, and read without one (a
 * receiver passes the payload on as a view of its message).
 */
public final class DataFrames {
  private DataFrames() {}

  /** One binary message carrying {@code payload} on {@code channel}. */
  public static Buffer of(int channel, Buffer payload) {
    int length = payload.length();
    return Buffer.buffer(ProtocolLimits.HEADER_SIZE + length)
        .appendBytes(FrameCodec.header(FrameType.DATA, channel, length))
        .appendBuffer(payload);
  }

  /**
   * The channel of a DATA message, its header validated as {@link FrameCodec#decode} would; 0 for
   * any other frame (decode it whole), including one too short for a header.
   */
  public static int channelOf(Buffer message) throws ProtocolException {
    if (message.length() < ProtocolLimits.HEADER_SIZE) {
      return 0;
    }
    return FrameCodec.dataChannel(
        message.getBytes(0, ProtocolLimits.HEADER_SIZE), message.length());
  }

  /** A DATA message's payload, as a view of the message: never copied. */
  public static Buffer payloadOf(Buffer message) {
    return message.slice(ProtocolLimits.HEADER_SIZE, message.length());
  }
}
