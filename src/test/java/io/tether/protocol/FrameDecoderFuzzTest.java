package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the frame decoder and the message decoders with Jazzer. Under plain
 * JUnit (CI) it replays the seed inputs in {@code FrameDecoderFuzzTestInputs/}; with {@code
 * JAZZER_FUZZ=1} it fuzzes (see docs/protocol.md, "Fuzzing").
 */
class FrameDecoderFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decoderNeverFailsOtherwise(byte[] input) {
    List<Frame> frames = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(frames::add);
    int chunk = input.length == 0 ? 1 : 1 + (input[0] & 0x0F);
    try {
      for (int off = 0; off < input.length; off += chunk) {
        decoder.feed(input, off, Math.min(chunk, input.length - off));
        assertTrue(
            decoder.buffered() <= ProtocolLimits.HEADER_SIZE + ProtocolLimits.MAX_PAYLOAD,
            "the decoder holds more than one maximum frame");
      }
    } catch (ProtocolException expected) {
      // malformed input must end in a protocol error and nothing else
    }
    for (Frame frame : frames) {
      decodePayload(frame);
    }
  }

  private static void decodePayload(Frame frame) {
    try {
      switch (frame.type()) {
        case HELLO -> Hello.decode(frame.payload());
        case WELCOME -> Welcome.decode(frame.payload());
        case PING, PONG -> Messages.nonce(frame.payload());
        case TARGET_STATUS -> Messages.targetStatus(frame.payload());
        case UPGRADE -> AgentUpgrade.decode(frame.payload());
        case UPGRADE_FAILED -> AgentUpgrade.failedReason(frame.payload());
        case OPEN -> Open.decode(frame.payload());
        case REFUSED, CLOSE -> Reason.decode(frame.payload(), frame.type().name());
        case CREDIT -> Messages.credit(frame.payload());
        case LINE -> LineSettings.decode(frame.payload());
        case OPENED, EOF -> Messages.requireEmpty(frame);
        case DATA -> Messages.requireData(frame);
      }
    } catch (ProtocolException expected) {
      // a malformed payload is a protocol error, never a crash
    }
  }
}
