package io.tether.boot;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Skips the periodic database chores ({@code @Scheduled(skipExecutionIf = Stopping.class)}) from
 * the moment the portal starts to stop: a chore started then ran into a closed persistence unit ("
 * EntityManagerFactory is closed", GracefulStopIT). The shutdown delay (500 ms) gives one that is
 * running time to finish before the database goes.
 */
@Singleton
public class Stopping implements Scheduled.SkipPredicate {
  private volatile boolean stopping;

  void onDelay(@Observes ShutdownDelayInitiatedEvent event) {
    stopping = true;
  }

  void onStop(@Observes @Priority(1) ShutdownEvent event) {
    stopping = true;
  }

  public boolean stopping() {
    return stopping;
  }

  @Override
  public boolean test(ScheduledExecution execution) {
    return stopping;
  }
}
