package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stream decoder: frames out of arbitrary chunks, and an ERROR state it never leaves. */
class FrameDecoderTest {
  private final List<Frame> frames = new ArrayList<>();
  private final FrameDecoder decoder = new FrameDecoder(frames::add);

  @Test
  void decodesFramesSplitAtEveryPossibleByte() throws Exception {
    byte[] stream = stream();
    for (int split = 0; split <= stream.length; split++) {
      List<Frame> out = new ArrayList<>();
      FrameDecoder d = new FrameDecoder(out::add);
      d.feed(stream, 0, split);
      d.feed(stream, split, stream.length - split);
      assertSameFrames(out);
      assertEquals(FrameDecoder.State.READ_HEADER, d.state());
      assertEquals(0, d.buffered());
    }
  }

  @Test
  void decodesAStreamFedOneByteAtATime() throws Exception {
    byte[] stream = stream();
    for (int i = 0; i < stream.length; i++) {
      decoder.feed(stream, i, 1);
    }
    assertSameFrames(frames);
  }

  @Test
  void decodesAStreamFedInRandomChunks() throws Exception {
    byte[] stream = stream();
    SplittableRandom random = new SplittableRandom(5);
    int i = 0;
    while (i < stream.length) {
      int n = Math.min(stream.length - i, random.nextInt(0, 20));
      decoder.feed(stream, i, n);
      i += n;
    }
    assertSameFrames(frames);
  }

  @Test
  void emitsEmptyFramesWithoutWaitingForMoreInput() throws Exception {
    byte[] opened = Hex.bytes("11 00 0000 00000001 00000000");
    decoder.feed(opened, 0, opened.length);
    assertEquals(1, frames.size());
    assertEquals(FrameType.OPENED, frames.get(0).type());
  }

  @Test
  void buffersAPartialFrameAndCountsIt() throws Exception {
    byte[] data = Hex.bytes("13 00 0000 00000001 00000004 01020304");
    decoder.feed(data, 0, 5);
    assertEquals(5, decoder.buffered());
    assertEquals(FrameDecoder.State.READ_HEADER, decoder.state());
    decoder.feed(data, 5, 8);
    assertEquals(FrameDecoder.State.READ_PAYLOAD, decoder.state());
    assertEquals(4, decoder.buffered(), "the payload buffer is allocated once the header is valid");
    decoder.feed(data, 13, 3);
    assertEquals(0, decoder.buffered());
    assertArrayEquals(Hex.bytes("01020304"), frames.get(0).payload());
  }

  @Test
  void rejectsFrameLongerThanMaxPayloadBeforeAllocatingIt() {
    byte[] header = Hex.bytes("13 00 0000 00000001 00010001");
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> decoder.feed(header, 0, header.length));
    assertEquals(TunnelCloseCode.FRAME_TOO_LARGE, e.closeCode());
    assertTrue(
        decoder.buffered() <= ProtocolLimits.HEADER_SIZE,
        "no payload buffer may be allocated for a refused frame: " + decoder.buffered());
  }

  @Test
  void rejectsUnknownFrameType() {
    byte[] header = Hex.bytes("7f 00 0000 00000000 00000000");
    assertThrows(ProtocolException.class, () -> decoder.feed(header, 0, header.length));
    assertEquals(FrameDecoder.State.ERROR, decoder.state());
  }

  @Test
  void decoderStaysInErrorAfterProtocolError() throws Exception {
    byte[] good = Hex.bytes("11 00 0000 00000001 00000000");
    byte[] bad = Hex.bytes("11 01 0000 00000001 00000000");
    decoder.feed(good, 0, good.length);
    ProtocolException first =
        assertThrows(ProtocolException.class, () -> decoder.feed(bad, 0, bad.length));
    assertEquals(FrameDecoder.State.ERROR, decoder.state());
    for (int i = 0; i < 3; i++) {
      ProtocolException again =
          assertThrows(ProtocolException.class, () -> decoder.feed(good, 0, good.length));
      assertSame(first, again, "the decoder must keep reporting the first error");
      ProtocolException onEmpty =
          assertThrows(ProtocolException.class, () -> decoder.feed(good, 0, 0));
      assertSame(first, onEmpty);
    }
    assertEquals(1, frames.size(), "no frame may be emitted after the error");
    assertEquals(FrameDecoder.State.ERROR, decoder.state());
  }

  @Test
  void stopsAtTheBadHeaderEvenWhenGoodFramesFollowInTheSameChunk() {
    byte[] chunk =
        Hex.bytes(
            "11 00 0000 00000001 00000000 11 00 0001 00000001 00000000"
                + " 11 00 0000 00000001 00000000");
    assertThrows(ProtocolException.class, () -> decoder.feed(chunk, 0, chunk.length));
    assertEquals(1, frames.size());
  }

  private static byte[] stream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : expected()) {
      out.writeBytes(FrameCodec.encode(f));
    }
    return out.toByteArray();
  }

  private static List<Frame> expected() {
    return List.of(
        Frame.control(FrameType.PING, Messages.nonce(7)),
        Frame.channel(FrameType.OPENED, 1, Frame.EMPTY),
        Frame.channel(FrameType.DATA, 1, Hex.bytes("00ff10")),
        Frame.channel(FrameType.CREDIT, 2, Messages.credit(131_072)),
        Frame.channel(FrameType.EOF, 1, Frame.EMPTY));
  }

  private static void assertSameFrames(List<Frame> actual) {
    List<Frame> want = expected();
    assertEquals(want.size(), actual.size(), "frames: " + actual);
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i).type(), actual.get(i).type());
      assertEquals(want.get(i).channel(), actual.get(i).channel());
      assertArrayEquals(want.get(i).payload(), actual.get(i).payload());
    }
  }
}
