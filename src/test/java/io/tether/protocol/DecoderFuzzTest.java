package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random, truncated and mutated input: the decoders end only in frames or a
 * ProtocolException (never another exception), and the stream decoder never holds more than one
 * maximum frame. A failure names its seed so it can be replayed.
 */
class DecoderFuzzTest {
  private static final int CASES = 20_000;
  private static final int MAX_HELD = ProtocolLimits.HEADER_SIZE + ProtocolLimits.MAX_PAYLOAD;

  private static final List<byte[]> VALID =
      List.of(
          FrameCodec.encode(
              Frame.control(
                  FrameType.HELLO,
                  new Hello(
                          1,
                          "1.0.0",
                          "a1b2c3d4",
                          List.of(
                              new Hello.Target("console", TargetKind.SERIAL, "USB console"),
                              new Hello.Target("ds", TargetKind.TCP, "data port")))
                      .encode())),
          FrameCodec.encode(
              Frame.control(
                  FrameType.WELCOME, new Welcome(1, 262_144, 65_536, 20_000, 60_000, 0).encode())),
          FrameCodec.encode(Frame.control(FrameType.PING, Messages.nonce(1))),
          FrameCodec.encode(Frame.control(FrameType.PONG, Messages.nonce(2))),
          FrameCodec.encode(
              Frame.control(
                  FrameType.TARGET_STATUS,
                  Messages.targetStatus(new Messages.TargetStatus("console", 0, "")))),
          FrameCodec.encode(
              Frame.channel(
                  FrameType.OPEN,
                  1,
                  new Open("console", Optional.of(LineSettings.baud(9600))).encode())),
          FrameCodec.encode(Frame.channel(FrameType.OPENED, 1, Frame.EMPTY)),
          FrameCodec.encode(
              Frame.channel(FrameType.REFUSED, 1, new Reason(Reason.TARGET_BUSY, "busy").encode())),
          FrameCodec.encode(Frame.channel(FrameType.DATA, 1, Hex.bytes("6869"))),
          FrameCodec.encode(Frame.channel(FrameType.CREDIT, 1, Messages.credit(131_072))),
          FrameCodec.encode(Frame.channel(FrameType.EOF, 1, Frame.EMPTY)),
          FrameCodec.encode(
              Frame.channel(FrameType.CLOSE, 1, new Reason(Reason.NORMAL, "bye").encode())),
          FrameCodec.encode(Frame.channel(FrameType.LINE, 1, LineSettings.baud(115_200).encode())));

  @Test
  void streamDecoderEndsOnlyInFramesOrAProtocolError() {
    for (int seed = 0; seed < CASES; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      byte[] input = input(random);
      FrameDecoder decoder = new FrameDecoder(frame -> decodePayload(frame));
      try {
        int i = 0;
        while (i < input.length) {
          int n = Math.min(input.length - i, chunk(random));
          decoder.feed(input, i, n);
          i += n;
          assertTrue(
              decoder.buffered() <= MAX_HELD,
              "seed " + seed + ": decoder holds " + decoder.buffered() + " bytes");
        }
      } catch (ProtocolException expected) {
        assertTrue(
            decoder.state() == FrameDecoder.State.ERROR,
            "seed " + seed + ": a protocol error must leave the decoder in ERROR");
      } catch (RuntimeException | Error e) {
        throw new AssertionError("seed " + seed + ": " + e, e);
      }
    }
  }

  @Test
  void codecDecodeEndsOnlyInAFrameOrAProtocolError() {
    for (int seed = 0; seed < CASES; seed++) {
      SplittableRandom random = new SplittableRandom(~seed);
      byte[] message = input(random);
      try {
        decodePayload(FrameCodec.decode(message));
      } catch (ProtocolException expected) {
        // the only way a bad message may end
      } catch (RuntimeException | Error e) {
        throw new AssertionError("seed " + seed + ": " + e, e);
      }
    }
  }

  @Test
  void messageDecodersEndOnlyInAMessageOrAProtocolError() {
    for (int seed = 0; seed < CASES; seed++) {
      SplittableRandom random = new SplittableRandom(seed * 31L + 7);
      byte[] valid = VALID.get(random.nextInt(VALID.size()));
      byte[] payload =
          mutate(Arrays.copyOfRange(valid, ProtocolLimits.HEADER_SIZE, valid.length), random, true);
      for (FrameType type : FrameType.values()) {
        try {
          decodePayload(new Frame(type, type.control() ? 0 : 1, payload));
        } catch (RuntimeException | Error e) {
          throw new AssertionError("seed " + seed + ", " + type + ": " + e, e);
        }
      }
    }
  }

  /** Decodes the payload as its type's message, as portal and agent do on receipt. */
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
        case OPENED, EOF -> Messages.requireEmpty(frame);
        case REFUSED, CLOSE -> Reason.decode(frame.payload(), frame.type().name()).label();
        case DATA -> Messages.requireData(frame);
        case CREDIT -> Messages.credit(frame.payload());
        case LINE -> LineSettings.decode(frame.payload());
        default -> fail("no decoder for " + frame.type());
      }
    } catch (ProtocolException e) {
      // a bad payload is the receiver's protocol error, not the frame layer's
    }
  }

  /** Mostly mutated valid frames (so headers get past the first checks), sometimes noise. */
  private static byte[] input(SplittableRandom random) {
    int kind = random.nextInt(10);
    if (kind < 2) {
      byte[] noise = new byte[random.nextInt(0, 200)];
      random.nextBytes(noise);
      return noise;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int frames = random.nextInt(1, 6);
    for (int i = 0; i < frames; i++) {
      out.writeBytes(VALID.get(random.nextInt(VALID.size())));
    }
    byte[] stream = out.toByteArray();
    return kind < 4 ? stream : mutate(stream, random, kind < 9);
  }

  private static byte[] mutate(byte[] in, SplittableRandom random, boolean small) {
    byte[] b = in.clone();
    int edits = small ? random.nextInt(1, 4) : random.nextInt(1, 40);
    for (int e = 0; e < edits; e++) {
      switch (random.nextInt(6)) {
        case 0 -> { // truncate
          b = Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
        }
        case 1 -> { // flip a bit
          if (b.length > 0) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 2 -> { // random byte
          if (b.length > 0) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
          }
        }
        case 3 -> { // interesting byte: 0x00, 0xff, 0x7f, 0x80
          if (b.length > 0) {
            b[random.nextInt(b.length)] = (byte) new int[] {0, 0xff, 0x7f, 0x80}[random.nextInt(4)];
          }
        }
        case 4 -> { // append junk
          byte[] extra = new byte[random.nextInt(1, 16)];
          random.nextBytes(extra);
          byte[] longer = Arrays.copyOf(b, b.length + extra.length);
          System.arraycopy(extra, 0, longer, b.length, extra.length);
          b = longer;
        }
        default -> { // drop a byte from the middle
          if (b.length > 1) {
            int at = random.nextInt(b.length);
            byte[] shorter = new byte[b.length - 1];
            System.arraycopy(b, 0, shorter, 0, at);
            System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
            b = shorter;
          }
        }
      }
    }
    return b;
  }

  private static int chunk(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> 1;
      case 1 -> random.nextInt(0, 13);
      case 2 -> random.nextInt(1, 100);
      default -> random.nextInt(1, 70_000);
    };
  }
}
