package io.tether.wsclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.ProtocolLimits;
import io.tether.testing.Await;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Sends from many threads, batched writes, and what a slow reader does to the client. */
class SendPathTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void framesSentFromEightThreadsArriveIntactAndInPerThreadOrder() throws Exception {
    int threads = 8;
    int perThread = 2000;
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    int[] next = new int[threads + 1];
    AtomicLong arrived = new AtomicLong();
    try (VertxServer server =
        VertxServer.start(
            ws ->
                ws.binaryMessageHandler(
                    b -> {
                      try {
                        Frame f = FrameCodec.decode(b.getBytes());
                        int seq = ByteBuffer.wrap(f.payload()).getInt();
                        if (seq != next[f.channel()]++ || !Arrays2.isPattern(f.payload(), seq)) {
                          errors.add("channel " + f.channel() + " frame " + seq);
                        }
                      } catch (Exception e) {
                        errors.add(e.toString());
                      }
                      arrived.incrementAndGet();
                    }))) {
      FrameSocket socket = WebSocketFramingTest.connect(server.url(), new Recorder());
      List<Thread> senders = new ArrayList<>();
      for (int t = 1; t <= threads; t++) {
        int channel = t;
        Thread sender =
            new Thread(
                () -> {
                  for (int seq = 0; seq < perThread; seq++) {
                    int size = 4 + (seq * 7919 + channel * 104729) % 3000;
                    socket.send(Frame.channel(FrameType.DATA, channel, Arrays2.pattern(size, seq)));
                  }
                });
        senders.add(sender);
        sender.start();
      }
      for (Thread s : senders) {
        s.join(WAIT.toMillis());
      }
      Await.until("every frame to arrive", WAIT, () -> arrived.get() == threads * perThread);
      assertTrue(errors.isEmpty(), "out of order or damaged: " + errors);
      socket.close(1000, "");
    }
  }

  @Test
  void aSlowReaderMakesTheOutboxGrowWhileWhatLeftTheClientStaysBounded() throws Exception {
    int receiveBuffer = 64 * 1024;
    try (RawServer server = new RawServer(receiveBuffer, RawServer::accepting)) {
      FrameSocket socket =
          FrameSocket.connect(
                  new WsConfig(null, null), URI.create(server.url()), "t", new Recorder())
              .join();
      Socket peer = server.accepted.get(10, TimeUnit.SECONDS);
      byte[] frame =
          FrameCodec.encode(Frame.channel(FrameType.DATA, 1, new byte[ProtocolLimits.DATA_SLICE]));
      long sent = 0;
      for (int i = 0; i < 2048; i++) { // 32 MiB, nobody reading
        socket.send(frame);
        sent += frame.length;
      }
      long left = sent - socket.queuedBytes();
      // kernel send buffer (doubled by Linux) + the peer's receive buffer + one batch taken out
      long bound =
          2L * FrameSocket.SEND_BUFFER
              + 2L * receiveBuffer
              + SendPath.WRITE_BATCH
              + FrameSocket.MAX_MESSAGE
              + 512 * 1024; // slack: loopback's own queue
      assertTrue(
          left <= bound,
          "the client let "
              + left
              + " bytes go past its outbox with nobody reading (bound "
              + bound
              + ")");
      assertTrue(socket.queuedBytes() > 16L << 20, "the rest waits, visible to senders");

      // the reader takes 1 MiB: the socket is writable again, and the client takes more from its
      // outbox, but only what the socket can hold again, not the whole outbox
      long wire = sent + 2048L * 8; // + a 4-byte header and a 4-byte mask key per frame
      InputStream in = peer.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      long read = 0;
      long queued = socket.queuedBytes();
      while (read < 1 << 20) {
        read += in.read(buffer, 0, (int) Math.min(buffer.length, (1 << 20) - read));
      }
      Await.until(
          "the client to take more from its outbox", WAIT, () -> socket.queuedBytes() < queued);
      long leftNow = sent - socket.queuedBytes();
      assertTrue(
          leftNow <= bound + read,
          "after the reader took " + read + " bytes the client let " + leftNow + " bytes go");
      while (read < wire) {
        int n = in.read(buffer);
        assertTrue(n > 0, "ended after " + read + " of " + wire + " bytes");
        read += n;
      }
      assertEquals(0, socket.queuedBytes(), "everything was written once the reader read");
    }
  }

  /** A payload whose bytes follow from its sequence number, so damage shows. */
  static final class Arrays2 {
    static byte[] pattern(int size, int seq) {
      byte[] b = new byte[size];
      ByteBuffer.wrap(b).putInt(seq);
      for (int i = 4; i < size; i++) {
        b[i] = (byte) (seq + i);
      }
      return b;
    }

    static boolean isPattern(byte[] b, int seq) {
      for (int i = 4; i < b.length; i++) {
        if (b[i] != (byte) (seq + i)) {
          return false;
        }
      }
      return true;
    }
  }
}
