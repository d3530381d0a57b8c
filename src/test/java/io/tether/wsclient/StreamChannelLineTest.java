package io.tether.wsclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Frame;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LINE changes on one channel are applied one at a time, in the order they arrived. */
class StreamChannelLineTest {
  /** A stream that records LINE changes; each one takes a moment, like a serial driver call. */
  private static final class LineRecorder implements ByteStream {
    final List<Long> applied = new ArrayList<>();
    final CountDownLatch done;
    volatile boolean overlapped;
    private volatile boolean busy;

    LineRecorder(int expected) {
      done = new CountDownLatch(expected);
    }

    @Override
    public void line(LineSettings settings) {
      if (busy) {
        overlapped = true;
      }
      busy = true;
      try {
        Thread.sleep(1); // widen the window two concurrent applications would share
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (applied) {
        applied.add(settings.baud());
      }
      busy = false;
      done.countDown();
    }

    @Override
    public int read(byte[] buffer, int max) {
      return 0;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {}

    @Override
    public void shutdownOutput() {}

    @Override
    public void close() {}
  }

  private static final StreamChannel.Owner OWNER =
      new StreamChannel.Owner() {
        @Override
        public void send(Frame frame) {}

        @Override
        public void sendEncoded(byte[] message) {}

        @Override
        public void log(String line) {}

        @Override
        public io.tether.protocol.InteractiveTraffic traffic() {
          return new io.tether.protocol.InteractiveTraffic();
        }

        @Override
        public void channelEnded(int id, Reason reason) {}
      };

  @Test
  void lineChangesAreAppliedInOrderAndNeverTwoAtOnce() throws Exception {
    int n = 40;
    LineRecorder stream = new LineRecorder(n);
    StreamChannel channel = new StreamChannel(1, stream, OWNER, 1024);
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      for (int i = 1; i <= n; i++) {
        channel.onLine(LineSettings.baud(i), pool);
      }
      assertTrue(stream.done.await(10, TimeUnit.SECONDS), "not every LINE was applied");
    } finally {
      pool.shutdownNow();
    }
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      expected.add(i);
    }
    assertEquals(expected, stream.applied);
    assertTrue(!stream.overlapped, "two LINE changes were applied at once");
  }
}
