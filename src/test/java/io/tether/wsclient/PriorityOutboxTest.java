package io.tether.wsclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolLimits;
import org.junit.jupiter.api.Test;

/** The agent's and CLI's outbox reads each frame's channel and type from its encoded header. */
class PriorityOutboxTest {
  private static byte[] data(int channel, int length) {
    return FrameCodec.encode(Frame.channel(FrameType.DATA, channel, new byte[length]));
  }

  @Test
  void anEchoQueuedBehindABulkBurstGoesOutNext() throws Exception {
    PriorityOutbox outbox = new PriorityOutbox();
    for (int i = 0; i < 16; i++) {
      outbox.add(data(7, ProtocolLimits.DATA_SLICE));
    }
    outbox.poll(); // a bulk channel that has been sending is no longer quiet
    outbox.poll();
    byte[] echo = data(300, 1);
    outbox.add(echo);
    assertEquals(echo, outbox.poll(), "the echo on channel 300 goes before 14 queued slices");
    assertEquals(FrameType.DATA, FrameCodec.decode(outbox.poll()).type());
  }

  @Test
  void messagesThatAreNotFramesGoOutInTheOrderSent() {
    PriorityOutbox outbox = new PriorityOutbox();
    byte[][] messages = {new byte[0], new byte[] {(byte) 0xEE}, new byte[40]};
    messages[2][0] = (byte) 0xEE; // no frame type has this code
    for (byte[] m : messages) {
      outbox.add(m);
    }
    for (byte[] m : messages) {
      assertEquals(m, outbox.poll());
    }
  }

  @Test
  void anEofStaysBehindItsChannelsDataAndCountsInTheBytes() throws Exception {
    PriorityOutbox outbox = new PriorityOutbox();
    byte[] d = data(2, 10);
    byte[] eof = FrameCodec.encode(Frame.channel(FrameType.EOF, 2, Frame.EMPTY));
    outbox.add(d);
    outbox.add(eof);
    assertEquals(d.length + eof.length, outbox.bytes());
    assertEquals(d, outbox.poll());
    assertEquals(eof, outbox.poll());
    assertTrue(outbox.isEmpty());
  }
}
