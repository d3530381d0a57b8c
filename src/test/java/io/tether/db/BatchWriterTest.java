package io.tether.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The batch writer's rules, with a sink that records (or holds, or refuses) what it is given. */
class BatchWriterTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** A sink that keeps each batch and can be held shut until released. */
  private static final class RecordingSink implements BatchWriter.Sink<Integer> {
    final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release;

    RecordingSink(boolean held) {
      release = new CountDownLatch(held ? 1 : 0);
    }

    @Override
    public void write(List<Integer> batch) throws InterruptedException {
      entered.countDown();
      assertTrue(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "sink never released");
      batches.add(List.copyOf(batch));
    }

    List<Integer> written() {
      List<Integer> all = new ArrayList<>();
      batches.forEach(all::addAll);
      return all;
    }
  }

  @Test
  void entriesAreWrittenInTheOrderTheyWereOfferedInBatchesNoLargerThanTheBatchSize() {
    RecordingSink sink = new RecordingSink(true);
    BatchWriter<Integer> writer = new BatchWriter<>("test-order", 1000, 10, sink);
    IntStream.range(0, 95).forEach(writer::offer);
    sink.release.countDown();
    assertTrue(writer.awaitDrained(WAIT), "not drained: " + writer.pending() + " pending");
    assertEquals(IntStream.range(0, 95).boxed().toList(), sink.written());
    assertTrue(
        sink.batches.stream().allMatch(b -> !b.isEmpty() && b.size() <= 10),
        "batch sizes: " + sink.batches.stream().map(List::size).toList());
    assertTrue(sink.batches.size() < 95, "queued entries share batches: " + sink.batches.size());
    writer.close(WAIT);
  }

  @Test
  void aFullQueueRefusesTheEntryAtOnceAndCountsItDropped() throws InterruptedException {
    RecordingSink sink = new RecordingSink(true);
    BatchWriter<Integer> writer = new BatchWriter<>("test-full", 3, 1, sink);
    assertTrue(writer.offer(0));
    assertTrue(sink.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    // entry 0 is in the held sink; the queue holds three more, the fifth has no room
    assertTrue(writer.offer(1) && writer.offer(2) && writer.offer(3), "room for three");
    assertFalse(writer.offer(4), "a fourth queued entry is refused");
    assertEquals(1, writer.dropped());
    assertEquals(4, writer.pending(), "the refused entry is not pending");
    sink.release.countDown();
    assertTrue(writer.awaitDrained(WAIT));
    assertEquals(List.of(0, 1, 2, 3), sink.written());
    writer.close(WAIT);
  }

  @Test
  void closeWritesEverythingStillQueuedBeforeTheWorkerEnds() {
    RecordingSink sink = new RecordingSink(true);
    BatchWriter<Integer> writer = new BatchWriter<>("test-close", 1000, 7, sink);
    IntStream.range(0, 50).forEach(writer::offer);
    sink.release.countDown();
    writer.close(WAIT);
    assertEquals(IntStream.range(0, 50).boxed().toList(), sink.written());
    assertEquals(0, writer.pending());
  }

  @Test
  void aBatchWhoseSinkThrowsIsLostAloneAndTheWriterGoesOn() {
    List<Integer> written = new CopyOnWriteArrayList<>();
    BatchWriter<Integer> writer =
        new BatchWriter<>(
            "test-failure",
            1000,
            100,
            batch -> {
              if (batch.contains(13)) {
                throw new IllegalStateException("the database refused the batch");
              }
              written.addAll(batch);
            });
    writer.offer(13);
    assertTrue(writer.awaitDrained(WAIT), "the failed batch still counts as finished");
    writer.offer(14);
    assertTrue(writer.awaitDrained(WAIT));
    assertEquals(List.of(14), written, "the entry after the failed batch is written");
    assertEquals(0, writer.dropped(), "a failed write is the sink's to count, not a drop");
    writer.close(WAIT);
  }

  @Test
  void awaitDrainedGivesUpAfterItsTimeoutWhileABatchIsStillBeingWritten() {
    RecordingSink sink = new RecordingSink(true);
    BatchWriter<Integer> writer = new BatchWriter<>("test-timeout", 10, 10, sink);
    writer.offer(1);
    long started = System.nanoTime();
    assertFalse(writer.awaitDrained(Duration.ofMillis(100)), "a held batch is not drained");
    assertTrue(System.nanoTime() - started < WAIT.toNanos(), "returned at its timeout");
    sink.release.countDown();
    assertTrue(writer.awaitDrained(WAIT));
    writer.close(WAIT);
  }

  @Test
  void anIdleWriterIsDrainedAtOnce() {
    BatchWriter<Integer> writer = new BatchWriter<>("test-idle", 10, 10, batch -> {});
    assertTrue(writer.awaitDrained(Duration.ZERO));
    writer.close(WAIT);
  }
}
