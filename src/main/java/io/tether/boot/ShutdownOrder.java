package io.tether.boot;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets the embedded database's shutdown hook wait until the application has finished its own
 * shutdown work (closing sessions, marking devices offline), which needs the database.
 */
@Singleton
public class ShutdownOrder {
  private static final CountDownLatch APPLICATION_STOPPED = new CountDownLatch(1);
  private static volatile boolean started;

  void onStart(@Observes StartupEvent event) {
    started = true;
  }

  /** Runs after the other shutdown observers (lowest priority value runs first). */
  void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
    APPLICATION_STOPPED.countDown();
  }

  /** Waits for the application's shutdown observers, unless the application never started. */
  static void awaitApplicationStopped(Duration timeout) {
    if (!started) {
      return;
    }
    try {
      APPLICATION_STOPPED.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
