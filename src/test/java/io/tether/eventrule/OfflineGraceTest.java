package io.tether.eventrule;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules in PostgreSQL, with the portal's own dispatcher: a drop waits out its group's grace, a
 * device back in time raises nothing, one away raises one device.offline; flapping and sign-in
 * bursts raise one event each. Events are read from the outbox (a catch-all endpoint keeps them).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class OfflineGraceTest {
  /** TEST-NET-1: never answers, so attempts fail quietly in the background. */
  private static final String NOWHERE = "http://192.0.2.1:9/hook";

  private static final Duration WAIT = Duration.ofSeconds(15);

  /** The deployment's grace stands in for "long" (the test profile keeps the 60 s default). */
  private static final OfflineGrace SETTINGS =
      new OfflineGrace(Duration.ofSeconds(60), new FlappingRule(5));

  @Inject DataSource dataSource;

  private ApiClient admin;
  private long webhook;

  @BeforeEach
  void keepEveryEvent() {
    admin = ApiClient.admin();
    webhook =
        expect(
                201,
                admin
                    .cookie()
                    .body(Map.of("url", NOWHERE, "events", List.of("*")))
                    .post("/api/webhooks"),
                "create webhook")
            .jsonPath()
            .getLong("id");
  }

  @AfterEach
  void dropEndpoint() {
    expect(204, admin.cookie().delete("/api/webhooks/" + webhook), "delete webhook");
  }

  private long deviceWithGrace(Integer seconds) {
    String group = admin.createGroup();
    if (seconds != null) {
      expect(
          200,
          admin
              .cookie()
              .body(Map.of("offlineGraceSeconds", seconds))
              .patch("/api/groups/" + admin.groupId(group)),
          "set the group's grace");
    }
    return Long.parseLong(admin.createDevice(group).id());
  }

  interface Work {
    void run(Connection c) throws SQLException;
  }

  private void inTransaction(Work work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      work.run(c);
      c.commit();
    }
  }

  private List<String> events(long deviceId, String type) throws SQLException {
    List<String> data = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select cast(data as text) from webhook_outbox where device_id = ? and type = ?"
                    + " order by id")) {
      s.setLong(1, deviceId);
      s.setString(2, type);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          data.add(r.getString(1));
        }
      }
    }
    return data;
  }

  private List<String> eventsUnchecked(long deviceId, String type) {
    try {
      return events(deviceId, type);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean pending(long deviceId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select 1 from pending_offline where device_id = ?")) {
      s.setLong(1, deviceId);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  @Test
  void aDeviceBackWithinItsGraceRaisesNeitherOfflineNorOnline() throws Exception {
    long device = deviceWithGrace(null);
    inTransaction(c -> PresenceAlerts.offline(c, device, Instant.now(), SETTINGS));
    assertTrue(pending(device), "the drop waits out its grace");
    inTransaction(c -> PresenceAlerts.online(c, device, "{}"));
    assertFalse(pending(device), "back: nothing pending");
    Thread.sleep(2 * OfflineDispatcher.POLL.toMillis()); // two dispatcher ticks: nothing to report
    assertEquals(List.of(), events(device, "device.offline"));
    assertEquals(List.of(), events(device, "device.online"));
  }

  @Test
  void aDeviceAwayPastItsGroupsGraceRaisesExactlyOneOfflineThenOnlineWhenBack() throws Exception {
    long device = deviceWithGrace(1);
    Instant dropped = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    inTransaction(c -> PresenceAlerts.offline(c, device, dropped, SETTINGS));
    Await.until("device.offline", WAIT, () -> !eventsUnchecked(device, "device.offline").isEmpty());
    assertFalse(pending(device));
    Thread.sleep(2 * OfflineDispatcher.POLL.toMillis());
    List<String> offline = events(device, "device.offline");
    assertEquals(1, offline.size(), offline::toString);
    assertTrue(offline.get(0).contains(dropped.toString()), "at: when it dropped " + offline);
    inTransaction(c -> PresenceAlerts.online(c, device, "{}"));
    assertEquals(1, events(device, "device.online").size(), "back after its offline: news");
  }

  @Test
  void aGroupGraceOfZeroReportsTheDropAtOnce() throws Exception {
    long device = deviceWithGrace(0);
    inTransaction(c -> PresenceAlerts.offline(c, device, Instant.now(), SETTINGS));
    assertEquals(1, events(device, "device.offline").size());
    assertFalse(pending(device));
  }

  @Test
  void moreThanFiveDropsWithinAnHourRaiseOneFlapping() throws Exception {
    long device = deviceWithGrace(null);
    for (int i = 0; i < 9; i++) {
      inTransaction(c -> PresenceAlerts.offline(c, device, Instant.now(), SETTINGS));
      inTransaction(c -> PresenceAlerts.online(c, device, "{}"));
    }
    List<String> flapping = events(device, "device.flapping");
    assertEquals(1, flapping.size(), flapping::toString);
    assertTrue(flapping.get(0).contains("\"drops\": 6"), flapping.get(0));
  }

  @Test
  void theGroupGraceIsShownChangedBackToTheDefaultAndRangeChecked() {
    String group = admin.createGroup();
    String path = "/api/groups/" + admin.groupId(group);
    assertEquals(
        7,
        expect(200, admin.cookie().body(Map.of("offlineGraceSeconds", 7)).patch(path), "set")
            .jsonPath()
            .getInt("offlineGraceSeconds"));
    assertNull(
        expect(200, admin.cookie().body(Map.of("defaultOfflineGrace", true)).patch(path), "default")
            .jsonPath()
            .get("offlineGraceSeconds"));
    expectProblem(
        400,
        "offlineGraceSeconds",
        admin.cookie().body(Map.of("offlineGraceSeconds", 86_401)).patch(path),
        "more than a day");
  }

  @Test
  void twentyFailedSignInsForOneAccountRaiseOneBurst() throws Exception {
    String account = ApiClient.unique("victim");
    String address = ApiClient.randomAddress();
    for (int i = 0; i < 25; i++) {
      int status = ApiClient.login(account, "wrong", address).statusCode();
      assertTrue(status == 401 || status == 429, "refused: " + status);
    }
    List<String> bursts = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select cast(data as text) from webhook_outbox"
                    + " where type = 'auth.login-failed-burst' and data ->> 'account' = ?")) {
      s.setString(1, account.toLowerCase(java.util.Locale.ROOT));
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          bursts.add(r.getString(1));
        }
      }
    }
    assertEquals(1, bursts.size(), bursts::toString);
    assertTrue(bursts.get(0).contains(address), "the address burst starts with it: " + bursts);
  }
}
