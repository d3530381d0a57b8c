package io.tether.webhook;

import static io.tether.testing.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.Await;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Rule: an attempt recorded while an admin deletes its endpoint never deadlocks the delete (which
 * answered 500 in CI). Both take the endpoint's row before its deliveries' rows; the test holds the
 * endpoint's row as a delete does, lets the recording wait on it, then deletes.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class DeleteWhileRecordingTest {
  /** TEST-NET-1: never answers. */
  private static final String NOWHERE = "http://192.0.2.1:9/hook";

  @Inject Deliveries deliveries;
  @Inject DataSource dataSource;

  @Test
  void aDeleteAndAnAttemptsRecordTakeTheRowsInOneOrder() throws Exception {
    ApiClient admin = ApiClient.admin();
    long webhook =
        expect(
                201,
                admin
                    .cookie()
                    .body(Map.of("url", NOWHERE, "events", List.of("device.created")))
                    .post("/api/webhooks"),
                "create webhook")
            .jsonPath()
            .getLong("id");
    long delivery = deliveryNobodyClaims(webhook);
    Deliveries.Claimed claimed =
        new Deliveries.Claimed(delivery, webhook, 1, NOWHERE, List.of(), "msg_test", "{}");
    Deliveries.Outcome failed =
        new Deliveries.Outcome(null, 10_000, "connect timed out", null, Optional.empty());

    try (Connection deleter = dataSource.getConnection()) {
      deleter.setAutoCommit(false);
      long deleterPid = single(deleter, "select pg_backend_pid()");
      single(deleter, "select id from webhooks where id = " + webhook + " for update");
      CompletableFuture<Void> recording =
          CompletableFuture.runAsync(
              () -> deliveries.record(claimed, failed, Optional.of(Duration.ofMinutes(1))));
      Await.until(
          "the attempt's record waits on the endpoint's row",
          Duration.ofSeconds(10),
          () -> waitingOn(deleterPid) == 1);
      try (PreparedStatement s = deleter.prepareStatement("delete from webhooks where id = ?")) {
        s.setLong(1, webhook);
        assertEquals(1, s.executeUpdate(), "the delete cascades without a deadlock");
      }
      deleter.commit();
      recording.get(10, TimeUnit.SECONDS);
    }
    try (Connection c = dataSource.getConnection()) {
      assertEquals(
          0,
          single(c, "select count(*) from webhook_deliveries where id = " + delivery),
          "the endpoint's deliveries went with it");
      assertEquals(
          0,
          single(c, "select count(*) from webhook_attempts where delivery_id = " + delivery),
          "no attempt is recorded for a delivery that is gone");
    }
  }

  /** A delivery due in an hour, of an event already fanned out: the dispatcher leaves both. */
  private long deliveryNobodyClaims(long webhook) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      long outbox =
          single(
              c,
              "insert into webhook_outbox (type, data, fanned_at)"
                  + " values ('device.created', '{}', now()) returning id");
      return single(
          c,
          "insert into webhook_deliveries (webhook_id, outbox_id, next_at) values ("
              + webhook
              + ", "
              + outbox
              + ", now() + interval '1 hour') returning id");
    }
  }

  private long waitingOn(long pid) {
    try (Connection c = dataSource.getConnection()) {
      return single(
          c,
          "select count(*) from pg_stat_activity where " + pid + " = any(pg_blocking_pids(pid))");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      assertTrue(r.next(), sql);
      return r.getLong(1);
    }
  }
}
