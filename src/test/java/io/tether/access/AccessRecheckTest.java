package io.tether.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.testing.Await;
import io.vertx.core.Vertx;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A live socket's re-check that the database could not answer is no verdict: it is tried again and
 * never closes the socket; any other failure is a refusal, as before.
 */
class AccessRecheckTest {
  /** Short waits between tries, so the rule shows in milliseconds. */
  private static final Duration FIRST = Duration.ofMillis(20);

  private static final Duration MAX = Duration.ofMillis(80);

  private static final Duration VERDICT = Duration.ofSeconds(5);

  private final Vertx vertx = Vertx.vertx();
  private final AccessRecheck recheck = new AccessRecheck(vertx, FIRST, MAX);
  private final List<Boolean> verdicts = new CopyOnWriteArrayList<>();
  private final AtomicInteger tries = new AtomicInteger();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** What Hibernate throws when a pooled connection died with the server. */
  private static RuntimeException databaseAway() {
    return new IllegalStateException(
        "JDBC exception executing SQL", new SQLException("An I/O error occurred", "08006"));
  }

  @Test
  void aCheckTheDatabaseCouldNotAnswerIsTriedAgainNotTakenAsARevocation() {
    recheck.recheck(
        () -> {
          if (tries.incrementAndGet() <= 3) {
            throw databaseAway();
          }
          return true;
        },
        false,
        () -> true,
        verdicts::add);
    Await.until("a verdict", VERDICT, () -> !verdicts.isEmpty());
    assertEquals(List.of(true), verdicts, "the verdict of the check that was answered");
    assertEquals(4, tries.get(), "three tries the database could not answer, then one it did");
  }

  @Test
  void anyOtherFailureIsARefusal() {
    recheck.recheck(
        () -> {
          tries.incrementAndGet();
          throw new IllegalStateException("a bug, not the database");
        },
        false,
        () -> true,
        verdicts::add);
    Await.until("a verdict", VERDICT, () -> !verdicts.isEmpty());
    assertEquals(List.of(false), verdicts, "refused");
    assertEquals(1, tries.get(), "not tried again");
  }

  @Test
  void aClosedSocketStopsTheTries() throws Exception {
    AtomicBoolean open = new AtomicBoolean(true);
    recheck.recheck(
        () -> {
          if (tries.incrementAndGet() == 2) {
            open.set(false);
          }
          throw databaseAway();
        },
        false,
        open::get,
        verdicts::add);
    Await.until("the socket closed during the second try", VERDICT, () -> !open.get());
    // nothing announces a try that does not happen: wait several retry periods and count
    Thread.sleep(MAX.multipliedBy(5).toMillis());
    assertEquals(2, tries.get(), "no try after the socket closed");
    assertEquals(List.of(), verdicts, "and no verdict");
  }
}
