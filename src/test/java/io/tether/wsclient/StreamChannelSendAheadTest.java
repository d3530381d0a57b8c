package io.tether.wsclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.Frame;
import io.tether.protocol.InteractiveTraffic;
import io.tether.protocol.LineSettings;
import io.tether.protocol.Reason;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A channel that is not quiet reads its target no further ahead of its socket than {@link
 * StreamChannel#SEND_AHEAD}, whatever credit it holds; a quiet one (keystrokes) never waits for
 * room.
 */
class StreamChannelSendAheadTest {
  private static final long LARGE_WINDOW = 8L << 20;

  /** An owner whose socket has no room until {@link #room} is counted down. */
  private static class Owner implements StreamChannel.Owner {
    final CountDownLatch room = new CountDownLatch(1);
    final CountDownLatch waiting = new CountDownLatch(1);
    final AtomicInteger waits = new AtomicInteger();
    volatile long askedFor;

    @Override
    public void send(Frame frame) {}

    @Override
    public void sendEncoded(byte[] message) {}

    @Override
    public void sendEncoded(List<byte[]> messages) {}

    @Override
    public void awaitSendRoom(long bytes, long timeoutMillis) throws InterruptedException {
      askedFor = bytes;
      waits.incrementAndGet();
      waiting.countDown();
      room.await();
    }

    @Override
    public void log(String line) {}

    @Override
    public InteractiveTraffic traffic() {
      return new InteractiveTraffic();
    }

    @Override
    public void channelEnded(int id, Reason reason) {}
  }

  /** A target that returns {@code perRead} bytes on every read, {@code pauseMillis} apart. */
  private static final class Source implements ByteStream {
    final AtomicInteger reads = new AtomicInteger();
    final int perRead;
    final long pauseMillis;

    Source(int perRead, long pauseMillis) {
      this.perRead = perRead;
      this.pauseMillis = pauseMillis;
    }

    @Override
    public int read(byte[] buffer, int max) throws java.io.IOException {
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reads.incrementAndGet();
      return Math.min(max, perRead);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {}

    @Override
    public void shutdownOutput() {}

    @Override
    public void line(LineSettings settings) {}

    @Override
    public void close() {}
  }

  @Test
  void aBulkChannelReadsNoFurtherUntilItsSocketHasRoom() throws Exception {
    Owner owner = new Owner();
    Source target = new Source(StreamChannel.READ_BATCH, 0);
    StreamChannel channel = new StreamChannel(1, target, owner, LARGE_WINDOW);
    channel.start();
    assertTrue(owner.waiting.await(5, TimeUnit.SECONDS), "it never asked for room");
    Thread.sleep(200);
    assertEquals(1, target.reads.get(), "one batch read, then it waits with credit to spare");
    assertEquals(StreamChannel.SEND_AHEAD, owner.askedFor);
    owner.room.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (target.reads.get() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    channel.abort();
    assertTrue(target.reads.get() >= 10, "it reads on once there is room: " + target.reads);
  }

  @Test
  void aQuietChannelNeverWaitsForRoom() throws Exception {
    Owner owner = new Owner();
    Source keystrokes = new Source(1, 5);
    StreamChannel channel = new StreamChannel(1, keystrokes, owner, LARGE_WINDOW);
    channel.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (keystrokes.reads.get() < 40 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    channel.abort();
    assertTrue(keystrokes.reads.get() >= 40, "keystrokes read: " + keystrokes.reads);
    assertEquals(0, owner.waits.get(), "a keystroke never waits behind the socket's queue");
  }
}
