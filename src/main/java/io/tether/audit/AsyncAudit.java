package io.tether.audit;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Audit from the data plane (event loops), which must never wait for the database: entries go into
 * a bounded queue drained by one worker thread, in batches of up to {@link #BATCH} per transaction
 * (a reconnect storm or a shutdown ends thousands of tunnels at once). When the queue is full,
 * entries are dropped and counted, and the drop is logged, rather than stalling every tunnel. A
 * portal that stops writes what is queued before the database goes away.
 */
@ApplicationScoped
public class AsyncAudit {
  /** About a minute of a reconnect storm of 10k devices' connect/disconnect entries. */
  static final int QUEUE_CAPACITY = 20_000;

  /** Entries per transaction: one commit instead of hundreds, small enough to retry one by one. */
  static final int BATCH = 500;

  /** How long a stopping portal waits for the queued entries to be written. */
  static final Duration STOP_FLUSH_TIMEOUT = Duration.ofSeconds(20);

  private static final Logger LOG = Logger.getLogger(AsyncAudit.class);

  @Inject AuditLog log;

  private final BlockingQueue<Audit> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong dropped = new AtomicLong();

  /** Entries queued so far, and those written (or given up on): the difference is pending. */
  private final AtomicLong accepted = new AtomicLong();

  private final AtomicLong finished = new AtomicLong();

  private volatile boolean running = true;
  private Thread worker;

  /** Queues an entry; returns at once. */
  public void submit(Audit audit) {
    ensureWorker();
    accepted.incrementAndGet();
    if (!queue.offer(audit)) {
      accepted.decrementAndGet();
      log.queueFull();
      if (dropped.incrementAndGet() % 1000 == 1) {
        LOG.warnf("audit queue full: %d entries dropped so far", dropped.get());
      }
    }
  }

  public long dropped() {
    return dropped.get();
  }

  /** Entries queued or being written. */
  public long pending() {
    return accepted.get() - finished.get();
  }

  private synchronized void ensureWorker() {
    if (worker == null) {
      worker = new Thread(this::drain, "tether-audit");
      worker.setDaemon(true);
      worker.start();
    }
  }

  private void drain() {
    List<Audit> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Audit first = queue.poll(200, TimeUnit.MILLISECONDS);
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
        finished.addAndGet(batch.size());
        batch.clear();
      }
    }
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
   * Shutdown: the tunnels were closed in the shutdown delay ({@code TunnelHub}); their entries are
   * written now, while the database and Hibernate are still up (Arc destroys beans, and Hibernate
   * closes, only after the shutdown observers).
   */
  void flushOnStop(@Observes @Priority(20) ShutdownEvent event) {
    long deadline = System.nanoTime() + STOP_FLUSH_TIMEOUT.toNanos();
    while (pending() > 0 && worker != null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (pending() > 0) {
      LOG.warnf("%d audit entries not written before the shutdown deadline", pending());
    }
  }

  @PreDestroy
  void stop() {
    running = false;
    if (worker != null) {
      try {
        worker.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
