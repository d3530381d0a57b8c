package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tunnel socket's messages: one-frame messages pass on as the frame's own bytes, fragments are
 * joined in order within a bound, control frames and stray continuations are not messages.
 */
class MessageJoinerTest {
  private final List<Buffer> binary = new ArrayList<>();
  private final List<String> text = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();
  private final MessageJoiner joiner =
      new MessageJoiner(
          new TunnelSocket.Listener() {
            @Override
            public void onBinary(Buffer message) {
              binary.add(message);
            }

            @Override
            public void onText(String message) {
              text.add(message);
            }

            @Override
            public void onClosed(Integer code, String reason) {}

            @Override
            public void onError(Throwable error) {
              errors.add(error);
            }
          });

  @Test
  void aOneFrameMessageIsTheFramesOwnBytesNotACopy() {
    WebSocketFrame frame = WebSocketFrame.binaryFrame(Buffer.buffer("abc"), true);
    joiner.onFrame(frame);
    assertEquals(1, binary.size());
    frame.binaryData().setByte(0, (byte) 'x');
    assertEquals("xbc", binary.get(0).toString(), "the message is a view of the frame");
  }

  @Test
  void fragmentsAreJoinedInOrderIntoOneMessage() {
    joiner.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer("ab"), false));
    joiner.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("cd"), false));
    assertTrue(binary.isEmpty(), "nothing before the final fragment");
    joiner.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ef"), true));
    joiner.onFrame(WebSocketFrame.textFrame("gh", false));
    joiner.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ij"), true));
    assertEquals(List.of("abcdef"), binary.stream().map(Buffer::toString).toList());
    assertEquals(List.of("ghij"), text);
  }

  @Test
  void aFragmentedMessageBeyondTheBoundIsAnErrorAndTheNextMessageIsWhole() {
    byte[] half = new byte[MessageJoiner.MAX_MESSAGE / 2];
    joiner.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer(half), false));
    joiner.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(half), false));
    assertTrue(errors.isEmpty(), "exactly the bound is still a message");
    joiner.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[1]), true));
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).getMessage().contains(String.valueOf(MessageJoiner.MAX_MESSAGE)));
    assertTrue(binary.isEmpty(), "the oversized message is not passed on");
    joiner.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("stray"), true));
    joiner.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer("next"), true));
    assertEquals(List.of("next"), binary.stream().map(Buffer::toString).toList());
  }

  @Test
  void controlFramesAndStrayContinuationsAreNotMessages() {
    joiner.onFrame(WebSocketFrame.pingFrame(Buffer.buffer("p")));
    joiner.onFrame(WebSocketFrame.pongFrame(Buffer.buffer("q")));
    joiner.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("r"), true));
    assertTrue(binary.isEmpty() && text.isEmpty() && errors.isEmpty());
  }
}
