package io.tether.wsclient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.TunnelCloseCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RFC 6455 framing of the client against a real server (Vert.x) on loopback. */
class WebSocketFramingTest {
  private static final WsConfig PLAIN = new WsConfig(null, null);

  static FrameSocket connect(String url, FrameSocket.Handler handler) {
    return FrameSocket.connect(PLAIN, URI.create(url), "t0ken", handler).join();
  }

  @Test
  void maskingEightBytesAtATimeMatchesTheRfcByteRule() {
    Random random = new Random(7);
    for (int length : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 125, 1000, 65536}) {
      byte[] data = new byte[length + 3];
      random.nextBytes(data);
      int key = random.nextInt();
      ByteBuffer out = ByteBuffer.allocate(length);
      ClientFrames.mask(data, 3, length, key, out);
      byte[] expected = new byte[length];
      for (int i = 0; i < length; i++) {
        expected[i] = (byte) (data[3 + i] ^ (key >>> (24 - 8 * (i % 4))));
      }
      assertArrayEquals(expected, out.array(), "length " + length);
    }
  }

  @Test
  void maskedClientMessagesOfEveryLengthClassArriveIntact() throws Exception {
    LinkedBlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
    try (VertxServer server = VertxServer.start(ws -> ws.binaryMessageHandler(received::add))) {
      FrameSocket socket = connect(server.url(), new Recorder());
      Random random = new Random(42);
      for (int size : new int[] {0, 125, 126, 65535, 65536, FrameSocket.MAX_MESSAGE}) {
        byte[] message = new byte[size];
        random.nextBytes(message);
        socket.send(message);
        Buffer got = received.poll(10, TimeUnit.SECONDS);
        assertArrayEquals(message, got == null ? null : got.getBytes(), "message of " + size);
      }
      socket.close(1000, "");
    }
  }

  @Test
  void aFragmentedServerMessageIsReassembledIntoOneFrame() throws Exception {
    byte[] payload = new byte[40_000];
    new Random(1).nextBytes(payload);
    byte[] message = FrameCodec.encode(Frame.channel(FrameType.DATA, 3, payload));
    try (VertxServer server =
        VertxServer.start(
            ws -> {
              ws.writeFrame(WebSocketFrame.binaryFrame(slice(message, 0, 10), false));
              ws.writeFrame(WebSocketFrame.pingFrame(Buffer.buffer("between")));
              ws.writeFrame(WebSocketFrame.continuationFrame(slice(message, 10, 30_000), false));
              ws.writeFrame(
                  WebSocketFrame.continuationFrame(slice(message, 30_000, message.length), true));
            })) {
      Recorder recorder = new Recorder();
      connect(server.url(), recorder);
      Frame frame = recorder.next();
      assertEquals(3, frame.channel());
      assertArrayEquals(payload, frame.payload());
    }
  }

  @Test
  void aMessageLargerThanAFrameClosesWithFrameTooLarge() throws Exception {
    CompletableFuture<Short> serverSaw = new CompletableFuture<>();
    try (VertxServer server =
        VertxServer.start(
            ws -> {
              ws.closeHandler(v -> serverSaw.complete(ws.closeStatusCode()));
              ws.writeBinaryMessage(Buffer.buffer(new byte[FrameSocket.MAX_MESSAGE + 1]));
            })) {
      Recorder recorder = new Recorder();
      connect(server.url(), recorder);
      assertEquals(
          TunnelCloseCode.FRAME_TOO_LARGE.code() + " message larger than a frame",
          recorder.awaitClosed());
      assertEquals(
          TunnelCloseCode.FRAME_TOO_LARGE.code(), (int) serverSaw.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aTextMessageClosesWithProtocolError() throws Exception {
    try (VertxServer server = VertxServer.start(ws -> ws.writeTextMessage("hello"))) {
      Recorder recorder = new Recorder();
      connect(server.url(), recorder);
      assertEquals(
          TunnelCloseCode.PROTOCOL_ERROR.code() + " text messages are not part of the protocol",
          recorder.awaitClosed());
    }
  }

  @Test
  void aPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
    CompletableFuture<String> pong = new CompletableFuture<>();
    try (VertxServer server =
        VertxServer.start(
            ws -> {
              ws.pongHandler(b -> pong.complete(b.toString()));
              ws.writePing(Buffer.buffer("are you there"));
            })) {
      connect(server.url(), new Recorder());
      assertEquals("are you there", pong.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void theServersCloseReachesOnClosedOnceWithCodeAndReason() throws Exception {
    CompletableFuture<Short> echoed = new CompletableFuture<>();
    try (VertxServer server =
        VertxServer.start(
            ws -> {
              ws.closeHandler(v -> echoed.complete(ws.closeStatusCode()));
              ws.close((short) 4005, "retry-after=5");
            })) {
      Recorder recorder = new Recorder();
      FrameSocket socket = connect(server.url(), recorder);
      assertEquals("4005 retry-after=5", recorder.awaitClosed());
      assertEquals(4005, (int) echoed.get(10, TimeUnit.SECONDS), "the close was not echoed");
      socket.close(1000, "again");
      socket.abort(1006, "and again");
      assertEquals(1, recorder.closedCalls.get());
    }
  }

  @Test
  void theClientsCloseReachesTheServerWithCodeAndReason() throws Exception {
    CompletableFuture<String> serverSaw = new CompletableFuture<>();
    try (VertxServer server =
        VertxServer.start(
            ws ->
                ws.closeHandler(
                    v -> serverSaw.complete(ws.closeStatusCode() + " " + ws.closeReason())))) {
      Recorder recorder = new Recorder();
      FrameSocket socket = connect(server.url(), recorder);
      socket.send(Frame.control(FrameType.PING, new byte[8]));
      socket.close(4002, "revoked: bye");
      assertEquals("4002 revoked: bye", serverSaw.get(10, TimeUnit.SECONDS));
      assertEquals("4002 revoked: bye", recorder.awaitClosed());
      assertEquals(1, recorder.closedCalls.get());
    }
  }

  @Test
  void aLongCloseReasonIsCutAtACharacterToFitAControlFrame() {
    byte[] payload = FrameSocket.closePayload(4000, "é".repeat(100));
    assertEquals(2 + 122, payload.length, "61 two-byte characters, not 61.5");
  }

  @Test
  void serverFramesSplitAtEveryByteDecodeTheSame() {
    byte[] message = FrameCodec.encode(Frame.channel(FrameType.DATA, 1, new byte[300]));
    byte[] wire = new byte[4 + message.length];
    wire[0] = (byte) 0x82;
    wire[1] = 126;
    wire[2] = (byte) (message.length >> 8);
    wire[3] = (byte) message.length;
    System.arraycopy(message, 0, wire, 4, message.length);
    List<byte[]> got = new java.util.ArrayList<>();
    ServerFrameDecoder decoder =
        new ServerFrameDecoder(
            FrameSocket.MAX_MESSAGE,
            new ServerFrameDecoder.Events() {
              @Override
              public void message(byte[] data, int length) {
                got.add(Arrays.copyOf(data, length));
              }

              @Override
              public void ping(byte[] payload) {}

              @Override
              public void close(int code, String reason) {}

              @Override
              public void violation(int code, String reason) {
                throw new AssertionError(reason);
              }
            });
    ByteBuffer in = ByteBuffer.allocate(wire.length);
    for (byte b : wire) {
      in.put(b).flip();
      decoder.feed(in);
      in.compact();
    }
    assertEquals(1, got.size());
    assertArrayEquals(message, got.get(0));
  }

  private static Buffer slice(byte[] data, int from, int to) {
    return Buffer.buffer(Arrays.copyOfRange(data, from, to));
  }
}
