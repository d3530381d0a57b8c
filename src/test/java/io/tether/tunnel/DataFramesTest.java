package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.Messages;
import io.tether.protocol.ProtocolException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** A DATA message is read by its header alone and its payload passed on as a view. */
class DataFramesTest {
  @Test
  void aDataMessageNamesItsChannelAndItsPayloadIsAViewOfTheMessage() throws Exception {
    Buffer message = DataFrames.of(5, Buffer.buffer("hello"));
    assertEquals(5, DataFrames.channelOf(message));
    Buffer payload = DataFrames.payloadOf(message);
    assertEquals("hello", payload.toString());
    message.setByte(message.length() - 1, (byte) '!');
    assertEquals("hell!", payload.toString(), "a view shares the message's bytes: no copy");
  }

  @Test
  void anyOtherFrameOrAMessageTooShortForAHeaderIsLeftToTheFullDecoder() throws Exception {
    Buffer credit =
        Buffer.buffer(FrameCodec.encode(Frame.channel(FrameType.CREDIT, 5, Messages.credit(10))));
    assertEquals(0, DataFrames.channelOf(credit));
    assertEquals(0, DataFrames.channelOf(Buffer.buffer(new byte[3])));
  }

  @Test
  void aDataHeaderWhoseLengthDisagreesWithTheMessageIsAProtocolError() {
    Buffer message = DataFrames.of(5, Buffer.buffer("hello")).appendString("x");
    assertThrows(ProtocolException.class, () -> DataFrames.channelOf(message));
  }
}
