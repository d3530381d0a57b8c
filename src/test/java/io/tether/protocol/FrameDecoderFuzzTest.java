package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the frame decoder and the message decoders with Jazzer. With {@code
 * JAZZER_FUZZ=1} it fuzzes (see docs/protocol.md, "Fuzzing"); otherwise (CI) it replays the inputs
 * in {@code FrameDecoderFuzzTestInputs/} — the seeds and every finding kept there — as a plain
 * parameterized test: Jazzer's own regression run replays the same inputs but instruments the
 * classes it loads first, 17–25 s of the unit phase for six inputs.
 */
class FrameDecoderFuzzTest {
  private static final String INPUTS = "FrameDecoderFuzzTestInputs/decoderNeverFailsOtherwise";

  @FuzzTest(maxDuration = "60s")
  @EnabledIfEnvironmentVariable(named = "JAZZER_FUZZ", matches = "1")
  void decoderNeverFailsOtherwise(byte[] input) {
    decodeEverything(input);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keptInputs")
  void keptInputsNeverFailOtherwise(String name) throws IOException, URISyntaxException {
    decodeEverything(Files.readAllBytes(inputs().resolve(name)));
  }

  static Stream<String> keptInputs() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(inputs())) {
      List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
      assertTrue(names.size() >= 6, "the seed inputs are on the test classpath: " + names);
      return names.stream();
    }
  }

  private static Path inputs() throws URISyntaxException {
    return Path.of(FrameDecoderFuzzTest.class.getResource(INPUTS).toURI());
  }

  private static void decodeEverything(byte[] input) {
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
