package io.tether.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Priority by behaviour, at the frame level: what a sender writes next, with simulated time (a link
 * moving {@link #BYTES_PER_MS} bytes per millisecond), never wall-clock timing.
 */
class SendSchedulerTest {
  private static final int SLICE = ProtocolLimits.DATA_SLICE;
  private static final long BYTES_PER_MS = 100_000; // a 100 MB/s link
  private static final long MS = 1_000_000L;

  private final SendScheduler<String> scheduler = new SendScheduler<>();
  private long now;

  private void data(int channel, String name, int length) {
    scheduler.add(FrameType.DATA, channel, name, length);
  }

  /** Writes the next frame and lets the simulated time its bytes take pass. */
  private String write(int length) {
    String f = scheduler.poll(now);
    now += length * MS / BYTES_PER_MS;
    return f;
  }

  @Test
  void aKeystrokesDataIsWrittenBeforeTheRemainingSlicesOfABulkBurstQueuedBeforeIt() {
    for (int i = 0; i < 64; i++) {
      data(1, "bulk" + i, SLICE);
    }
    for (int i = 0; i < 4; i++) {
      assertEquals("bulk" + i, write(SLICE), "a bulk burst alone goes out in order");
    }
    data(2, "keystroke", 1);
    assertEquals("keystroke", write(1), "the keystroke waits behind no queued slice");
    assertEquals("bulk4", write(SLICE));
  }

  @Test
  void framesOfNoChannelAndCreditGoFirst() {
    for (int i = 0; i < 8; i++) {
      data(1, "bulk" + i, SLICE);
    }
    write(SLICE);
    scheduler.add(FrameType.PING, 0, "ping", 20);
    scheduler.add(FrameType.CREDIT, 3, "credit", 20);
    assertEquals("ping", write(20));
    assertEquals("credit", write(20));
  }

  @Test
  void lineEofAndCloseNeverPassTheDataQueuedBeforeThem() {
    data(1, "d0", SLICE);
    data(1, "d1", SLICE);
    scheduler.add(FrameType.LINE, 1, "line", 30);
    data(1, "d2", 10);
    scheduler.add(FrameType.EOF, 1, "eof", 12);
    List<String> order = new ArrayList<>();
    for (String f; (f = scheduler.poll(now)) != null; ) {
      order.add(f);
    }
    assertEquals(List.of("d0", "d1", "line", "d2", "eof"), order);
    assertTrue(scheduler.isEmpty());
    assertEquals(0, scheduler.bytes());
  }

  @Test
  void aTerminalThatStartsABulkTransferBecomesBulk() {
    // channel 2 was a quiet terminal; now it dumps a large file beside a running download
    for (int i = 0; i < 200; i++) {
      data(1, "download", SLICE);
      data(2, "dump", SLICE);
    }
    int quietRun = 0;
    while ("dump".equals(write(SLICE))) {
      quietRun++;
    }
    assertTrue(quietRun <= 2, "it went ahead while quiet, for " + quietRun + " slices only");
    int[] written = new int[3];
    for (int i = 0; i < 200; i++) {
      written["download".equals(write(SLICE)) ? 1 : 2]++;
    }
    assertTrue(
        Math.abs(written[1] - written[2]) <= 2,
        "then they alternate: " + written[1] + " vs " + written[2]);
  }

  @Test
  void aBulkChannelBesideAChattyOneGetsAtLeastAQuarterOfItsAloneThroughput() {
    long alone = bulkBytesInOneSecond(false);
    long beside = bulkBytesInOneSecond(true);
    assertTrue(beside * 4 >= alone, "beside " + beside + " bytes, alone " + alone);
  }

  /** One simulated second: a bulk channel with a backlog, and maybe a chatty one beside it. */
  private long bulkBytesInOneSecond(boolean chatty) {
    SendScheduler<Integer> s = new SendScheduler<>();
    long t = 0;
    long bulk = 0;
    long nextChat = 0;
    while (t < 1000 * MS) {
      if (s.bytes() < 4 * SLICE) {
        s.add(FrameType.DATA, 1, SLICE, SLICE);
      }
      if (chatty && t >= nextChat) {
        s.add(FrameType.DATA, 2, -2048, 2048); // 2 KiB every 0.1 ms: chatty, not quiet
        nextChat = t + MS / 10;
      }
      Integer f = s.poll(t);
      int n = Math.abs(f);
      if (f > 0) {
        bulk += n;
      }
      t += n * MS / BYTES_PER_MS;
    }
    return bulk;
  }

  @Test
  void bulkChannelsShareBytesFairlyWhateverTheirFrameSizes() {
    long[] bytes = new long[3];
    for (int i = 0; i < 2000; i++) {
      if (i % 10 == 0) {
        for (int k = 0; k < 10; k++) {
          data(1, "big", SLICE);
          for (int j = 0; j < 4; j++) {
            data(2, "small", SLICE / 4);
          }
        }
      }
      String f = scheduler.poll(now);
      int n = "big".equals(f) ? SLICE : SLICE / 4;
      bytes["big".equals(f) ? 1 : 2] += n;
      now += n * MS / BYTES_PER_MS;
    }
    double ratio = (double) bytes[1] / bytes[2];
    assertTrue(ratio > 0.9 && ratio < 1.1, "bytes big/small: " + ratio);
  }

  @Test
  void lanesOfChannelsThatWentQuietDoNotPileUp() {
    for (int channel = 1; channel <= 5000; channel++) {
      data(channel, "last words", 100);
      write(100);
      now += 10 * MS;
    }
    now += 1000 * MS;
    for (int i = 0; i < SendScheduler.SWEEP_EVERY; i++) {
      scheduler.poll(now);
    }
    assertEquals(0, scheduler.lanes());
  }

  @Test
  void anEmptySchedulerHasNothingToWrite() {
    assertNull(scheduler.poll(now));
    assertTrue(scheduler.isEmpty());
  }
}
