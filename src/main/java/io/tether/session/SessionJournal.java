package io.tether.session;

import io.tether.db.BatchWriter;
import io.tether.db.DatabaseAway;
import io.tether.recording.ChunkStorage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * What live sessions write to the database (participant spans, recording chunks, the end), queued
 * from the event loops and written through a {@link BatchWriter}, one transaction per batch. The
 * data plane never waits: recording chunks are refused beyond a byte budget (the recorder's
 * overflow policy decides), and the other entries are small and few.
 */
@ApplicationScoped
public class SessionJournal implements Journal {
  /** Recording bytes queued for the database, all sessions together. */
  static final long CHUNK_BUDGET_BYTES = 32L * 1024 * 1024;

  /** Entries written in one transaction. */
  static final int BATCH = 256;

  /** How long shutdown waits for the queue to drain. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

  /**
   * No entry count limit: spans and ends are small and few, and chunks are bounded by {@link
   * #CHUNK_BUDGET_BYTES} instead.
   */
  private static final int UNBOUNDED = Integer.MAX_VALUE;

  private static final Logger LOG = Logger.getLogger(SessionJournal.class);

  @Inject DataSource dataSource;

  private final AtomicLong queuedChunkBytes = new AtomicLong();

  /** Compresses chunks on the writer's thread, off the event loops; used by that thread only. */
  private final ChunkStorage storage = new ChunkStorage();

  private final BatchWriter<JournalEntry> writer =
      new BatchWriter<>("tether-session-journal", UNBOUNDED, BATCH, this::writeAndRelease);

  /** Queues a small entry (span, end); never refused. */
  public void submit(JournalEntry entry) {
    writer.offer(entry);
  }

  /** Queues a recording chunk; false when the database is too far behind. */
  public boolean offerChunk(JournalEntry.Chunk chunk) {
    long size = chunk.data().length;
    if (queuedChunkBytes.addAndGet(size) > CHUNK_BUDGET_BYTES) {
      queuedChunkBytes.addAndGet(-size);
      return false;
    }
    submit(chunk);
    return true;
  }

  /** Waits until everything queued so far is written (shutdown, tests). */
  public boolean awaitDrained(Duration timeout) {
    return writer.awaitDrained(timeout);
  }

  /**
   * Writes a batch, its chunks compressed where that pays; they leave the byte budget (counted as
   * recorded) whether or not they were written.
   */
  private void writeAndRelease(List<JournalEntry> batch) {
    try {
      write(
          batch.stream()
              .map(e -> e instanceof JournalEntry.Chunk c ? c.packed(storage) : e)
              .toList());
    } finally {
      for (JournalEntry e : batch) {
        if (e instanceof JournalEntry.Chunk c) {
          queuedChunkBytes.addAndGet(-c.data().length);
        }
      }
    }
  }

  /**
   * Writes a batch; while the database cannot be reached (restarting, failing over) the same batch
   * is tried again for up to {@link #OUTAGE_RETRY}, holding its chunks' budget, so new chunks are
   * refused meanwhile and recorders mark what they drop as gaps instead of the batch being lost.
   */
  private void write(List<JournalEntry> batch) {
    long deadline = System.nanoTime() + OUTAGE_RETRY.toNanos();
    long wait = RETRY_FIRST.toMillis();
    boolean told = false;
    while (true) {
      try {
        writeOnce(batch);
        if (told) {
          LOG.info("session journal: the database answers again; the waiting entries are written");
        }
        return;
      } catch (SQLException e) {
        if (!unreachable(e) || System.nanoTime() + wait * 1_000_000 > deadline || !running) {
          LOG.warnf("session journal: %d entries not written: %s", batch.size(), e.getMessage());
          return;
        }
        if (!told) {
          told = true;
          LOG.warnf(
              "session journal: the database cannot be reached (%s): trying again for up to %d s",
              e.getMessage(), OUTAGE_RETRY.toSeconds());
        }
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      wait = Math.min(wait * 2, RETRY_MAX.toMillis());
    }
  }

  /** How long a batch waits for a database that cannot be reached before it is given up. */
  static final Duration OUTAGE_RETRY = Duration.ofSeconds(30);

  static final Duration RETRY_FIRST = Duration.ofMillis(100);
  static final Duration RETRY_MAX = Duration.ofSeconds(2);

  /**
   * A connection failure (SQLSTATE class 08) or the server shutting down or starting (57P01–57P03):
   * the database is away, not the entry wrong.
   */
  static boolean unreachable(SQLException e) {
    return DatabaseAway.in(e);
  }

  private void writeOnce(List<JournalEntry> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (JournalEntry e : batch) {
          e.write(c);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        if (unreachable(e)) {
          throw e;
        }
        // one bad entry must not lose the batch: write the rest one by one
        writeOneByOne(c, batch, e);
      }
    }
  }

  private void writeOneByOne(Connection c, List<JournalEntry> batch, SQLException cause)
      throws SQLException {
    LOG.debugf(cause, "session journal batch failed; retrying entries one by one");
    for (JournalEntry e : batch) {
      try {
        e.write(c);
        c.commit();
      } catch (SQLException one) {
        c.rollback();
        if (unreachable(one)) {
          throw one; // the database went away meanwhile: the whole batch is tried again
        }
        LOG.warnf("session journal: %s not written: %s", e.describe(), one.getMessage());
      }
    }
  }

  private volatile boolean running = true;

  @PreDestroy
  void stop() {
    awaitDrained(DRAIN_TIMEOUT);
    running = false; // a batch still waiting for the database gives up
    writer.close(DRAIN_TIMEOUT);
    storage.close(); // a writer still at work past the timeout fails its batch, as it would anyway
  }
}
