package io.tether.upgrade;

import static io.tether.testing.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An upgrade the agent never answers is closed as failed once {@code TETHER_AGENT_UPGRADE_TIMEOUT}
 * (15 min) passed, by the sweep every node runs, and audited once however many nodes sweep at the
 * same time.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class UnansweredUpgradeTest {
  @Inject UpgradeOutcomes outcomes;
  @Inject AgroalDataSource dataSource;

  /** An upgrade of a new device asked {@code ago}, sent ({@code sent}) or not; the device id. */
  private static String upgradeAsked(ApiClient admin, Duration ago, boolean sent, Connection db)
      throws SQLException {
    String device = admin.createDevice(null).id();
    Timestamp at = Timestamp.from(Instant.now().minus(ago));
    try (PreparedStatement s =
        db.prepareStatement(
            "insert into agent_upgrades (device_id, requested_by, from_version, to_version,"
                + " requested_at, sent_at) values (?, 'admin', '0.1.0', '0.2.0', ?, ?)")) {
      s.setLong(1, Long.parseLong(device));
      s.setTimestamp(2, at);
      s.setTimestamp(3, sent ? at : null);
      s.executeUpdate();
    }
    return device;
  }

  private static JsonPath latest(ApiClient admin, String device) {
    return expect(
            200,
            admin.cookie().get("/api/devices/" + device + "/agent-upgrade"),
            "GET agent-upgrade")
        .jsonPath();
  }

  private static List<Map<String, Object>> outcomeEntries(ApiClient admin, String device) {
    return admin.audit(Map.of("action", "device.agent-upgrade", "device", device)).stream()
        .filter(e -> "failed".equals(e.get("outcome")))
        .toList();
  }

  @Test
  void anUpgradeUnansweredPastTheTimeoutIsClosedAsFailedAndAuditedOnce() throws Exception {
    ApiClient admin = ApiClient.admin();
    String stale;
    String unsent;
    String fresh;
    try (Connection db = dataSource.getConnection()) {
      stale = upgradeAsked(admin, Duration.ofMinutes(16), true, db);
      unsent = upgradeAsked(admin, Duration.ofMinutes(16), false, db);
      fresh = upgradeAsked(admin, Duration.ofMinutes(14), true, db);
    }

    // two nodes sweeping at once (this node's own job may run meanwhile too)
    CompletableFuture<Void> other = CompletableFuture.runAsync(outcomes::closeUnanswered);
    outcomes.closeUnanswered();
    other.join();
    outcomes.closeUnanswered();

    JsonPath closed = latest(admin, stale);
    assertEquals("failed", closed.getString("outcome"));
    assertEquals("no answer within 15 minutes", closed.getString("detail"));
    assertEquals(
        1, outcomeEntries(admin, stale).size(), "audited once: " + outcomeEntries(admin, stale));
    assertEquals(
        "not sent within 15 minutes: no node held the device's tunnel",
        latest(admin, unsent).getString("detail"));
    assertNull(latest(admin, fresh).getString("outcome"), "14 minutes is within the timeout");
    assertEquals(List.of(), outcomeEntries(admin, fresh));
  }
}
