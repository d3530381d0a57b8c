package io.tether.user;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;

/** Deletes browser-session rows that can no longer be used, so the table does not grow forever. */
@ApplicationScoped
public class WebSessionPurge {
  /** Dead sessions stay a day for troubleshooting, then go. */
  static final Duration KEEP_DEAD = Duration.ofDays(1);

  @Scheduled(
      every = "1h",
      delayed = "5m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  @Transactional
  void purge() {
    Instant cutoff = Instant.now().minus(KEEP_DEAD);
    WebSession.delete("expiresAt < ?1 or revokedAt < ?1", cutoff);
  }
}
