package io.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A request the database could not take (a PostgreSQL restart; a pooled connection that died with
 * the server) answers 503 problem JSON with {@code Retry-After}, not an internal error: the client
 * is told to try again, and does not read it as a bug.
 */
class DatabaseAwayProblemTest {
  private final ProblemMappers mappers = new ProblemMappers();

  @Test
  void aConnectionThatDiedWithTheServerAnswers503WithRetryAfter() {
    SQLException io =
        new SQLException("An I/O error occurred while sending to the backend", "08006");
    Response r = mappers.unexpected(new IllegalStateException("commit", io));
    assertEquals(503, r.getStatus());
    assertEquals("1", r.getHeaderString("Retry-After"));
    Problem problem = (Problem) r.getEntity();
    assertEquals("the database is not reachable; try again shortly", problem.detail());
    assertEquals("Service Unavailable", problem.title());
  }

  @Test
  void anyOtherFailureIsStillAnInternalErrorWithoutRetryAfter() {
    Response r = mappers.unexpected(new IllegalStateException("a bug"));
    assertEquals(500, r.getStatus());
    assertEquals(null, r.getHeaderString("Retry-After"));
  }
}
