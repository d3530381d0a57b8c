package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.recording.RecordingFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorder's rules without a database: a journal that refuses chunks plays a database that
 * cannot keep up.
 */
class SessionRecorderTest {
  /** A journal that keeps what it accepts, and accepts nothing while {@code full}. */
  static final class FakeJournal implements Journal {
    final List<JournalEntry.Chunk> chunks = new ArrayList<>();
    boolean full;

    @Override
    public void submit(JournalEntry entry) {
      throw new AssertionError("a recorder only offers chunks: " + entry.describe());
    }

    @Override
    public boolean awaitDrained(java.time.Duration timeout) {
      return true;
    }

    @Override
    public boolean offerChunk(JournalEntry.Chunk chunk) {
      if (full) {
        return false;
      }
      chunks.add(chunk);
      return true;
    }

    List<RecordingFormat.Event> events() {
      List<RecordingFormat.Event> all = new ArrayList<>();
      for (JournalEntry.Chunk c : chunks) {
        all.addAll(RecordingFormat.decode(c.data()));
      }
      return all;
    }
  }

  private static final long SEAL_NOW = 0;

  @Test
  void outputPolicyRecordsOutputButNoInput() {
    SessionRecorder r =
        new SessionRecorder("output", 1 << 20, SessionRecorder.Overflow.GAP, SEAL_NOW);
    FakeJournal j = new FakeJournal();
    assertTrue(r.output(new byte[] {'o', 'k'}));
    assertTrue(r.input(new byte[] {'p', 'w'}));
    r.finish(7, j);
    List<RecordingFormat.Event> events = j.events();
    assertEquals(1, events.size(), "only the output: " + events);
    assertEquals(RecordingFormat.Kind.OUTPUT, events.get(0).kind());
    assertEquals(7, j.chunks.get(0).sessionId(), "chunks carry the session id");
  }

  @Test
  void allPolicyRecordsInputToo() {
    SessionRecorder r = new SessionRecorder("all", 1 << 20, SessionRecorder.Overflow.GAP, SEAL_NOW);
    FakeJournal j = new FakeJournal();
    r.output(new byte[] {'$'});
    r.input(new byte[] {'l', 's'});
    r.finish(1, j);
    assertEquals(
        List.of(RecordingFormat.Kind.OUTPUT, RecordingFormat.Kind.INPUT),
        j.events().stream().map(RecordingFormat.Event::kind).toList());
  }

  @Test
  void chunksWaitForTheSessionIdThenGoOutInOrder() {
    SessionRecorder r =
        new SessionRecorder("output", 1 << 30, SessionRecorder.Overflow.GAP, SEAL_NOW);
    FakeJournal j = new FakeJournal();
    r.output(new byte[70_000]); // two sealed chunks before the row exists
    r.output(new byte[70_000]);
    r.tick(0, j);
    assertTrue(j.chunks.isEmpty(), "no chunk without a session id");
    r.tick(3, j);
    assertEquals(List.of(1, 2), j.chunks.stream().map(JournalEntry.Chunk::seq).toList());
  }

  @Test
  void aDatabaseThatCannotKeepUpLeavesAGapUnderPolicyGap() {
    SessionRecorder r =
        new SessionRecorder("output", 1L << 40, SessionRecorder.Overflow.GAP, SEAL_NOW);
    FakeJournal j = new FakeJournal();
    j.full = true;
    byte[] block = new byte[SessionLimits.CHUNK_BYTES];
    long fed = 0;
    while (fed < 3 * SessionLimits.RECORDER_BACKLOG_BYTES) {
      assertTrue(r.output(block), "policy gap never ends the session");
      r.tick(1, j);
      fed += block.length;
    }
    j.full = false;
    r.output(new byte[] {'x'});
    r.finish(1, j);
    long recorded = 0;
    long lost = 0;
    for (RecordingFormat.Event e : j.events()) {
      recorded += e.data().length;
      lost += e.gapBytes();
    }
    assertTrue(r.gaps() > 0, "the gap is counted");
    assertEquals(fed + 1, recorded + lost, "every byte is either recorded or counted in a gap");
  }

  @Test
  void aDatabaseThatCannotKeepUpEndsTheSessionUnderPolicyEnd() {
    SessionRecorder r =
        new SessionRecorder("output", 1L << 40, SessionRecorder.Overflow.END, SEAL_NOW);
    FakeJournal j = new FakeJournal();
    j.full = true;
    byte[] block = new byte[SessionLimits.CHUNK_BYTES];
    boolean ended = false;
    for (int i = 0; i < 100 && !ended; i++) {
      ended = !r.output(block);
      r.tick(1, j);
    }
    assertTrue(ended, "the recorder asks to end the session once its backlog is full");
  }

  @Test
  void pastTheSizeCapBytesAreCountedNotStored() {
    SessionRecorder r = new SessionRecorder("output", 1000, SessionRecorder.Overflow.GAP, SEAL_NOW);
    FakeJournal j = new FakeJournal();
    r.output(new byte[1000]);
    r.output(new byte[500]);
    r.finish(1, j);
    List<RecordingFormat.Event> events = j.events();
    RecordingFormat.Event last = events.get(events.size() - 1);
    assertEquals(RecordingFormat.Kind.GAP, last.kind());
    assertEquals(500, last.gapBytes(), "the final gap says how many bytes were not stored");
    assertEquals(1000, r.recordedBytes());
    assertFalse(events.stream().anyMatch(e -> e.data().length > 1000));
  }

  @Test
  void aResumedRecordingGoesOnAfterTheDrainedNodesChunksBehindAMoveGapOnTheSessionsClock() {
    SessionRecorder r = new SessionRecorder("all", 1 << 20, SessionRecorder.Overflow.GAP, SEAL_NOW);
    FakeJournal j = new FakeJournal();
    assertTrue(r.output("early".getBytes())); // recorded before the claim came back
    r.tick(0, j);

    r.resume(new SessionResume(41, 60_000_000, 5, 2, 10, 20, 1000, 1, 3L, 30_000));
    assertTrue(r.input("ls\r".getBytes()));
    r.finish(41, j);

    assertEquals(6, j.chunks.get(0).seq(), "after the 5 chunks the drained node wrote");
    assertTrue(j.chunks.stream().allMatch(c -> c.sessionId() == 41));
    List<RecordingFormat.Event> events = j.events();
    assertEquals(RecordingFormat.Kind.GAP, events.get(0).kind(), "the move, marked");
    assertEquals(0, events.get(0).gapBytes(), "no bytes known lost: the agent kept the port open");
    long movedAt = events.get(0).atMicros();
    assertTrue(
        movedAt >= 59_000_000 && movedAt <= 60_000_000, "on the session's clock: " + movedAt);
    assertEquals("early", new String(events.get(1).data()));
    assertTrue(events.get(1).atMicros() >= movedAt, "re-timed after the gap");
    assertEquals("ls\r", new String(events.get(2).data()));
    assertEquals(1000 + 5 + 3, r.recordedBytes(), "counts go on from the drained node's");
    assertEquals(2, r.gaps(), "its gap and the move");
  }

  @Test
  void aFastStreamIsHandedToTheJournalAsItSealsSoTheBacklogBoundLosesNothing() {
    SessionRecorder r =
        new SessionRecorder("output", 64 << 20, SessionRecorder.Overflow.GAP, Long.MAX_VALUE);
    FakeJournal j = new FakeJournal();
    byte[] block = new byte[16 * 1024];
    int blocks = (int) (4 * SessionLimits.RECORDER_BACKLOG_BYTES / block.length);
    for (int i = 0; i < blocks; i++) { // four times the backlog's bound, and no tick between
      assertTrue(r.output(block));
      r.handOver(7, j);
    }
    r.finish(7, j);

    assertEquals(0, r.gaps(), "nothing dropped");
    long stored = j.events().stream().mapToLong(e -> e.data().length).sum();
    assertEquals((long) blocks * block.length, stored);
  }
}
