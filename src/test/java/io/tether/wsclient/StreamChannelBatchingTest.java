package io.tether.wsclient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameCodec;
import io.tether.protocol.FrameType;
import io.tether.protocol.LineSettings;
import io.tether.protocol.ProtocolLimits;
import io.tether.protocol.Reason;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A channel moves bulk data in few, large system calls while keeping the protocol's slices: one
 * read of the target becomes DATA slices queued together; DATA that waited is written to the target
 * in one call.
 */
class StreamChannelBatchingTest {
  private static final int CHANNEL = 7;
  private static final int SLICE = ProtocolLimits.DATA_SLICE;

  /** Captures what the channel sends, call by call. */
  private static final class Calls implements StreamChannel.Owner {
    final List<List<byte[]>> sends = new ArrayList<>();
    final CountDownLatch sent = new CountDownLatch(1);

    @Override
    public void send(Frame frame) {}

    @Override
    public synchronized void sendEncoded(byte[] message) {
      sends.add(List.of(message));
      sent.countDown();
    }

    @Override
    public synchronized void sendEncoded(List<byte[]> messages) {
      sends.add(List.copyOf(messages));
      sent.countDown();
    }

    @Override
    public void log(String line) {}

    @Override
    public io.tether.protocol.InteractiveTraffic traffic() {
      return new io.tether.protocol.InteractiveTraffic();
    }

    @Override
    public void channelEnded(int id, Reason reason) {}
  }

  /** A target whose first read returns {@code first}; later reads find nothing yet. */
  private abstract static class Target implements ByteStream {
    @Override
    public void shutdownOutput() {}

    @Override
    public void line(LineSettings settings) {}

    @Override
    public void close() {}
  }

  private static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  @Test
  void oneReadOfMoreThanASliceIsSentAsSlicesQueuedTogether() throws Exception {
    byte[] read = pattern(2 * SLICE + 7232, 1);
    Target target =
        new Target() {
          private boolean done;

          @Override
          public synchronized int read(byte[] buffer, int max) {
            if (done) {
              return 0;
            }
            done = true;
            assertTrue(max >= read.length, "the read may take " + max + " bytes");
            System.arraycopy(read, 0, buffer, 0, read.length);
            return read.length;
          }

          @Override
          public void write(byte[] buffer, int offset, int length) {}
        };
    Calls owner = new Calls();
    StreamChannel channel =
        new StreamChannel(CHANNEL, target, owner, ProtocolLimits.DEFAULT_WINDOW);
    channel.start();
    assertTrue(owner.sent.await(5, TimeUnit.SECONDS), "nothing was sent");
    channel.abort();

    List<byte[]> frames;
    synchronized (owner) {
      assertEquals(1, owner.sends.size(), "one send call for the whole read");
      frames = owner.sends.get(0);
    }
    ByteArrayOutputStream payloads = new ByteArrayOutputStream();
    List<Integer> sizes = new ArrayList<>();
    for (byte[] message : frames) {
      Frame f = FrameCodec.decode(message);
      assertEquals(FrameType.DATA, f.type());
      assertEquals(CHANNEL, f.channel());
      sizes.add(f.payload().length);
      payloads.write(f.payload());
    }
    assertEquals(List.of(SLICE, SLICE, 7232), sizes, "no DATA frame larger than a slice");
    assertArrayEquals(read, payloads.toByteArray());
  }

  @Test
  void dataThatWaitedIsWrittenToTheTargetInOneCallOfAtMost64KiB() throws Exception {
    CountDownLatch firstWriteStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch allWritten = new CountDownLatch(1);
    int total = 6 * SLICE;
    List<Integer> writes = new ArrayList<>();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    Target target =
        new Target() {
          @Override
          public int read(byte[] buffer, int max) throws java.io.IOException {
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 0;
          }

          @Override
          public void write(byte[] buffer, int offset, int length) {
            firstWriteStarted.countDown();
            try {
              release.await(5, TimeUnit.SECONDS); // the target is slow on the first write
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            synchronized (writes) {
              writes.add(length);
              written.write(buffer, offset, length);
              if (written.size() == total) {
                allWritten.countDown();
              }
            }
          }
        };
    StreamChannel channel =
        new StreamChannel(CHANNEL, target, new Calls(), ProtocolLimits.DEFAULT_WINDOW);
    channel.start();
    byte[] all = pattern(total, 2);
    channel.onData(Arrays.copyOfRange(all, 0, SLICE));
    assertTrue(firstWriteStarted.await(5, TimeUnit.SECONDS));
    for (int off = SLICE; off < total; off += SLICE) {
      channel.onData(Arrays.copyOfRange(all, off, off + SLICE));
    }
    release.countDown();
    assertTrue(allWritten.await(5, TimeUnit.SECONDS), "not everything was written: " + writes);
    channel.abort();

    synchronized (writes) {
      assertEquals(
          List.of(SLICE, StreamChannel.WRITE_BATCH, SLICE),
          writes,
          "the first slice alone, then what waited joined up to 64 KiB, then the rest");
      assertArrayEquals(all, written.toByteArray(), "the bytes in order");
    }
  }
}
