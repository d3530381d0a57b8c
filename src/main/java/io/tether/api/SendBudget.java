package io.tether.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes written to one user socket and not yet handed to the network. A socket takes from it before
 * each write and gives back when the write completes; past the bound the client is not reading, and
 * the budget stays exhausted so the socket can be closed instead of queueing more.
 */
public final class SendBudget {
  private final long bound;
  private final AtomicLong queued = new AtomicLong();
  private volatile boolean exhausted;

  public SendBudget(long bound) {
    this.bound = bound;
  }

  /** Takes {@code bytes} for a write; false (and exhausted from now on) when past the bound. */
  public boolean take(long bytes) {
    if (exhausted) {
      return false;
    }
    if (queued.addAndGet(bytes) > bound) {
      exhausted = true;
      return false;
    }
    return true;
  }

  /** A write of {@code bytes} completed (or failed): they no longer wait. */
  public void give(long bytes) {
    queued.addAndGet(-bytes);
  }

  public boolean exhausted() {
    return exhausted;
  }

  public long queued() {
    return queued.get();
  }
}
