package io.tether.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the extra bytes of grown receive windows come from: one allowance per process (agent, CLI)
 * or per node (the portal's buffer budget), shared by all its channels, so growth never lets a
 * process hold more than it budgeted however many channels grow at once. Thread-safe.
 */
public interface WindowAllowance {
  /** Takes up to {@code wanted} bytes; returns how many were taken (0 when none are left). */
  long take(long wanted);

  /** Returns bytes taken before (a window shrank or its channel closed). */
  void give(long bytes);

  /** What is left to take. */
  long left();

  /** An allowance of {@code total} bytes. */
  static WindowAllowance of(long total) {
    AtomicLong left = new AtomicLong(total);
    return new WindowAllowance() {
      @Override
      public long take(long wanted) {
        while (true) {
          long now = left.get();
          long taken = Math.min(now, Math.max(0, wanted));
          if (left.compareAndSet(now, now - taken)) {
            return taken;
          }
        }
      }

      @Override
      public void give(long bytes) {
        left.addAndGet(bytes);
      }

      @Override
      public long left() {
        return left.get();
      }
    };
  }
}
