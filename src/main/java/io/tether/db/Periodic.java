package io.tether.db;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A periodic chore (the cluster's, the offline dispatcher's, the alert mailer's) on a daemon thread
 * of its own, so a busy worker pool never delays a heartbeat or an event batch.
 */
public final class Periodic {
  private Periodic() {}

  /**
   * Runs {@code task} every {@code every} (after each run ends) on a new thread named {@code name}.
   */
  public static ScheduledExecutorService every(Duration every, String name, Runnable task) {
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(task, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return thread;
  }
}
