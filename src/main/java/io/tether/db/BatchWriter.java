package io.tether.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Database writes queued by threads that must never wait for the database (event loops): a bounded
 * queue drained by one worker thread, in batches of up to a given size, in the order they were
 * queued. A full queue refuses the entry at once and counts it; the owner decides what a refusal
 * means. The worker starts with the first entry; {@link #close} writes what is still queued.
 *
 * @param <E> one queued write
 */
public final class BatchWriter<E> {
  /** How long the idle worker waits for an entry before it checks whether it was stopped. */
  static final Duration IDLE_POLL = Duration.ofMillis(200);

  private static final Logger LOG = Logger.getLogger(BatchWriter.class);

  /** Writes one batch, usually in one transaction, and deals with its own failures. */
  @FunctionalInterface
  public interface Sink<E> {
    /**
     * Writes the batch. Whatever it throws loses the batch (logged, counted as written); it never
     * stops the writer.
     */
    void write(List<E> batch) throws Exception;
  }

  private final String name;
  private final int batchSize;
  private final Sink<E> sink;
  private final BlockingQueue<E> queue;
  private final AtomicLong dropped = new AtomicLong();

  /** Entries queued or being written. */
  private final AtomicLong pending = new AtomicLong();

  /** Notified whenever {@link #pending} reaches zero. */
  private final Object drained = new Object();

  private volatile boolean running = true;
  private volatile Thread worker;

  /**
   * @param name the worker thread's name
   * @param capacity entries the queue holds before it refuses more
   * @param batchSize entries handed to {@code sink} at most at once
   */
  public BatchWriter(String name, int capacity, int batchSize, Sink<E> sink) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size " + batchSize + " is not positive");
    }
    this.name = name;
    this.batchSize = batchSize;
    this.sink = sink;
    this.queue = new LinkedBlockingQueue<>(capacity);
  }

  /** Queues an entry and returns at once; false (and counted as dropped) when the queue is full. */
  public boolean offer(E entry) {
    ensureWorker();
    pending.incrementAndGet();
    if (queue.offer(entry)) {
      return true;
    }
    finished(1);
    dropped.incrementAndGet();
    return false;
  }

  /** Entries refused so far because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Entries queued or being written. */
  public long pending() {
    return pending.get();
  }

  /** Waits until everything queued so far is written; false when {@code timeout} ran out first. */
  public boolean awaitDrained(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (drained) {
      while (pending.get() > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        try {
          drained.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Stops the worker once it has written what is queued, waiting up to {@code timeout} for it.
   * Entries offered later are not written.
   */
  public void close(Duration timeout) {
    running = false;
    Thread w = worker;
    if (w != null) {
      try {
        w.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void ensureWorker() {
    if (worker == null) {
      synchronized (this) {
        if (worker == null) {
          Thread w = new Thread(this::drain, name);
          w.setDaemon(true);
          w.start();
          worker = w;
        }
      }
    }
  }

  private void drain() {
    List<E> batch = new ArrayList<>(batchSize);
    while (running || !queue.isEmpty()) {
      try {
        E first = queue.poll(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        finished(batch.size());
        batch.clear();
      }
    }
  }

  private void write(List<E> batch) {
    try {
      sink.write(batch);
    } catch (Exception e) {
      LOG.warnf("%s: %d entries not written: %s", name, batch.size(), e.toString());
      LOG.debug("the batch failed with", e);
    }
  }

  private void finished(int entries) {
    if (entries > 0 && pending.addAndGet(-entries) == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }
}
