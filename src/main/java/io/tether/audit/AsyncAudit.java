package io.tether.audit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Audit from the data plane (event loops), which must never wait for the database: entries go into
 * a bounded queue drained by one worker thread. When the queue is full, entries are dropped and
 * counted, and the drop is logged, rather than stalling every tunnel.
 */
@ApplicationScoped
public class AsyncAudit {
  /** About a minute of a reconnect storm of 10k devices' connect/disconnect entries. */
  static final int QUEUE_CAPACITY = 20_000;

  private static final Logger LOG = Logger.getLogger(AsyncAudit.class);

  @Inject AuditLog log;

  private final BlockingQueue<Audit> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean running = true;
  private Thread worker;

  /** Queues an entry; returns at once. */
  public void submit(Audit audit) {
    ensureWorker();
    if (!queue.offer(audit)) {
      if (dropped.incrementAndGet() % 1000 == 1) {
        LOG.warnf("audit queue full: %d entries dropped so far", dropped.get());
      }
    }
  }

  public long dropped() {
    return dropped.get();
  }

  private synchronized void ensureWorker() {
    if (worker == null) {
      worker = new Thread(this::drain, "tether-audit");
      worker.setDaemon(true);
      worker.start();
    }
  }

  private void drain() {
    while (running || !queue.isEmpty()) {
      try {
        Audit next = queue.poll(200, TimeUnit.MILLISECONDS);
        if (next != null) {
          log.recordAlone(next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warnf("audit entry not written: %s", e.toString());
      }
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
