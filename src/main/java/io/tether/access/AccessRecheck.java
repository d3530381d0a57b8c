package io.tether.access;

import io.tether.db.DatabaseAway;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Re-checks a live socket's access off the event loop after an {@link AccessChanged} and hands the
 * verdict to the socket. A check the database could not answer is no verdict: it is tried again
 * while the socket lives, never taken as a revocation. (A PostgreSQL restart makes every node
 * re-check every live socket, {@code RECHECK_ALL}, just as its pooled connections turn out dead: a
 * failed check taken as "revoked" closed users' terminals.) Any other failure still ends the
 * socket.
 */
@ApplicationScoped
public class AccessRecheck {
  private static final Logger LOG = Logger.getLogger(AccessRecheck.class);

  private final Vertx vertx;
  private final Duration first;
  private final Duration max;

  @Inject
  public AccessRecheck(Vertx vertx) {
    this(vertx, DatabaseAway.RETRY_FIRST, DatabaseAway.RETRY_MAX);
  }

  AccessRecheck(Vertx vertx, Duration first, Duration max) {
    this.vertx = vertx;
    this.first = first;
    this.max = max;
  }

  /**
   * Runs {@code check} on a worker thread and gives {@code verdict} its answer; a failure other
   * than the database being away answers {@code refused}. While the database is away the check is
   * tried again (1 s, doubling to 30 s) as long as {@code open} says the socket is.
   */
  public <T> void recheck(Callable<T> check, T refused, BooleanSupplier open, Consumer<T> verdict) {
    attempt(check, refused, open, verdict, first);
  }

  private <T> void attempt(
      Callable<T> check, T refused, BooleanSupplier open, Consumer<T> verdict, Duration wait) {
    vertx
        .executeBlocking(check, false)
        .onComplete(
            r -> {
              if (r.succeeded()) {
                verdict.accept(r.result());
              } else if (!DatabaseAway.in(r.cause())) {
                verdict.accept(refused);
              } else if (open.getAsBoolean()) {
                LOG.debugf(
                    "access re-check: the database cannot answer (%s): again in %d ms",
                    r.cause(), wait.toMillis());
                Duration next = DatabaseAway.nextWait(wait, max);
                vertx.setTimer(
                    wait.toMillis(),
                    id -> {
                      if (open.getAsBoolean()) {
                        attempt(check, refused, open, verdict, next);
                      }
                    });
              }
            });
  }
}
