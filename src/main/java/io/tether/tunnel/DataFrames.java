package io.tether.tunnel;

import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolLimits;
import io.vertx.core.buffer.Buffer;

/** DATA frames as WebSocket messages, built with one copy of the payload. */
public final class DataFrames {
  private DataFrames() {}

  /** One binary message carrying {@code payload} on {@code channel}. */
  public static Buffer of(int channel, Buffer payload) {
    int length = payload.length();
    return Buffer.buffer(ProtocolLimits.HEADER_SIZE + length)
        .appendBytes(FrameCodec.header(FrameType.DATA, channel, length))
        .appendBuffer(payload);
  }
}
