package io.tether.session;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * What live sessions write to the database (participant spans, recording chunks, the end), queued
 * from the event loops and written by one worker thread in batches, one transaction per batch. The
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

  private static final Logger LOG = Logger.getLogger(SessionJournal.class);

  @Inject DataSource dataSource;

  private final BlockingQueue<JournalEntry> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedChunkBytes = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private volatile boolean running = true;
  private Thread worker;

  /** Queues a small entry (span, end); never refused. */
  public void submit(JournalEntry entry) {
    ensureWorker();
    pending.incrementAndGet();
    queue.add(entry);
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
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10); // polling a counter at shutdown: there is no event to wait on here
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return pending.get() == 0;
  }

  private synchronized void ensureWorker() {
    if (worker == null) {
      worker = new Thread(this::drain, "tether-session-journal");
      worker.setDaemon(true);
      worker.start();
    }
  }

  private void drain() {
    List<JournalEntry> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      try {
        JournalEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        for (JournalEntry e : batch) {
          if (e instanceof JournalEntry.Chunk c) {
            queuedChunkBytes.addAndGet(-c.data().length);
          }
        }
        pending.addAndGet(-batch.size());
        batch.clear();
      }
    }
  }

  private void write(List<JournalEntry> batch) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (JournalEntry e : batch) {
          e.write(c);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        // one bad entry must not lose the batch: write the rest one by one
        writeOneByOne(c, batch, e);
      }
    } catch (SQLException e) {
      LOG.warnf("session journal: %d entries not written: %s", batch.size(), e.getMessage());
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
        LOG.warnf("session journal: %s not written: %s", e.describe(), one.getMessage());
      }
    }
  }

  @PreDestroy
  void stop() {
    awaitDrained(DRAIN_TIMEOUT);
    running = false;
    if (worker != null) {
      try {
        worker.join(DRAIN_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
