package io.tether.wsclient;

import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolException;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.SendScheduler;

/**
 * The agent's and the CLI's outbox: frames in the order {@link SendScheduler} picks (a quiet
 * channel's DATA ahead of queued bulk slices, bulk channels by deficit round robin), read from each
 * encoded frame's header (type at byte 0, channel id at bytes 4–7).
 */
final class PriorityOutbox implements Outbox {
  private final SendScheduler<byte[]> scheduler = new SendScheduler<>();

  /**
   * Queues a frame in its channel's lane. A message that is not a Tether frame (shorter than a
   * header, an unknown type: the socket is a general WebSocket client) goes in the first queue, in
   * order, as frames of channel 0 do.
   */
  @Override
  public void add(byte[] encodedFrame) {
    FrameType type = FrameType.PING;
    int channel = 0;
    if (encodedFrame.length >= ProtocolLimits.HEADER_SIZE) {
      try {
        type = FrameType.fromCode(encodedFrame[0] & 0xFF);
        channel =
            ((encodedFrame[4] & 0xFF) << 24)
                | ((encodedFrame[5] & 0xFF) << 16)
                | ((encodedFrame[6] & 0xFF) << 8)
                | (encodedFrame[7] & 0xFF);
      } catch (ProtocolException e) {
        channel = 0;
      }
    }
    scheduler.add(type, channel, encodedFrame, encodedFrame.length);
  }

  @Override
  public byte[] poll() {
    return scheduler.poll(System.nanoTime());
  }

  @Override
  public boolean isEmpty() {
    return scheduler.isEmpty();
  }

  @Override
  public long bytes() {
    return scheduler.bytes();
  }
}
