package io.tether.audit;

import io.quarkus.runtime.ShutdownEvent;
import io.tether.db.BatchWriter;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Audit from the data plane (event loops), which must never wait for the database: entries go
 * through a {@link BatchWriter}, in batches of up to {@link #BATCH} per transaction (a reconnect
 * storm or a shutdown ends thousands of tunnels at once). When its queue is full, entries are
 * dropped and counted, and the drop is logged, rather than stalling every tunnel. A portal that
 * stops writes what is queued before the database goes away.
 */
@ApplicationScoped
public class AsyncAudit {
  /** About a minute of a reconnect storm of 10k devices' connect/disconnect entries. */
  static final int QUEUE_CAPACITY = 20_000;

  /** Entries per transaction: one commit instead of hundreds, small enough to retry one by one. */
  static final int BATCH = 500;

  /** How long a stopping portal waits for the queued entries to be written. */
  static final Duration STOP_FLUSH_TIMEOUT = Duration.ofSeconds(20);

  /** How long the bean's destruction waits for the writer's thread to end. */
  static final Duration WORKER_STOP_TIMEOUT = Duration.ofSeconds(5);

  /** A full queue is logged once per this many dropped entries, not once per entry. */
  static final int DROP_LOG_EVERY = 1000;

  private static final Logger LOG = Logger.getLogger(AsyncAudit.class);

  @Inject AuditLog log;

  private final BatchWriter<Audit> writer =
      new BatchWriter<>("tether-audit", QUEUE_CAPACITY, BATCH, this::write);

  /** Queues an entry; returns at once. */
  public void submit(Audit audit) {
    if (!writer.offer(audit)) {
      log.queueFull();
      if (writer.dropped() % DROP_LOG_EVERY == 1) {
        LOG.warnf("audit queue full: %d entries dropped so far", writer.dropped());
      }
    }
  }

  public long dropped() {
    return writer.dropped();
  }

  /** Entries queued or being written. */
  public long pending() {
    return writer.pending();
  }

  /**
   * One transaction; if it fails, each entry alone, so one bad entry costs only itself (and is
   * retried escaped, then counted and logged: {@link AuditLog#recordAlone}).
   */
  private void write(List<Audit> batch) {
    try {
      log.recordAll(batch);
      return;
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        log.retryEscaped(batch.get(0), e);
        return;
      }
    }
    for (Audit audit : batch) {
      log.recordAlone(audit);
    }
  }

  /**
   * Shutdown: the tunnels were closed in the shutdown delay ({@code Tunnels}); their entries are
   * written now, while the database and Hibernate are still up (Arc destroys beans, and Hibernate
   * closes, only after the shutdown observers).
   */
  void flushOnStop(@Observes @Priority(20) ShutdownEvent event) {
    if (!writer.awaitDrained(STOP_FLUSH_TIMEOUT)) {
      LOG.warnf("%d audit entries not written before the shutdown deadline", pending());
    }
  }

  @PreDestroy
  void stop() {
    writer.close(WORKER_STOP_TIMEOUT);
  }
}
