package io.tether.session;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The sessions API against the real database: who sees which sessions, the filters, and a clear
 * problem for every bad input. Session rows are written the way live hubs write them.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SessionApiTest {
  @Inject SessionRows rows;
  @Inject DataSource dataSource;
  @Inject RecordingRetention retention;

  /** A session on {@code device} with one participant span; ended when {@code reason} is set. */
  long session(String device, String username, String reason) throws Exception {
    long id = rows.create(Long.parseLong(device), "console", "output", Instant.now());
    try (Connection c = dataSource.getConnection()) {
      new JournalEntry.SpanOpened(id, 1, null, username, "controller", "browser", Instant.now())
          .write(c);
      if (reason != null) {
        new JournalEntry.Ended(id, reason, Instant.now(), 3, 5, 0, 0).write(c);
      }
    }
    return id;
  }

  @Test
  void usersSeeOnlySessionsOnDevicesTheyMaySee() throws Exception {
    ApiClient admin = ApiClient.admin();
    String mine = admin.createGroup();
    String theirs = admin.createGroup();
    ApiClient.NewUser u = admin.createUser();
    admin.grant(u.id(), mine, "viewer");
    ApiClient user = ApiClient.signIn(u);
    long visible = session(admin.createDevice(mine).id(), "alice", CloseReasons.CLOSED_BY_USER);
    long hidden = session(admin.createDevice(theirs).id(), "alice", CloseReasons.CLOSED_BY_USER);

    List<Integer> listed =
        expect(200, user.cookie().get("/api/sessions?limit=200"), "list")
            .jsonPath()
            .getList("items.id", Integer.class);
    assertTrue(listed.contains((int) visible), "the session on a visible device is listed");
    assertTrue(!listed.contains((int) hidden), "the session on an invisible device is not");
    expect(200, user.cookie().get("/api/sessions/" + visible), "get a visible one");
    expectProblem(404, null, user.cookie().get("/api/sessions/" + hidden), "get an invisible one");
  }

  @Test
  void filtersByLiveDeviceAndUser() throws Exception {
    ApiClient admin = ApiClient.admin();
    String device = admin.createDevice(null).id();
    long ended = session(device, "filter-user", CloseReasons.DEVICE_OFFLINE);
    long live = session(device, "someone-else", null);

    var all =
        expect(200, admin.cookie().get("/api/sessions?device=" + device), "by device").jsonPath();
    assertEquals(
        List.of((int) live, (int) ended), all.getList("items.id", Integer.class), "newest first");
    assertEquals("ended", all.getString("items[1].state"));
    assertEquals("device-offline", all.getString("items[1].closeReason"));
    assertEquals("filter-user", all.getString("items[1].participants[0].username"));
    assertEquals("controller", all.getString("items[1].participants[0].role"));
    assertEquals(3, all.getInt("items[1].bytesIn"));
    assertEquals(5, all.getInt("items[1].bytesOut"));
    assertEquals(
        List.of((int) live),
        expect(200, admin.cookie().get("/api/sessions?live=true&device=" + device), "live")
            .jsonPath()
            .getList("items.id", Integer.class));
    assertEquals(
        List.of((int) ended),
        expect(200, admin.cookie().get("/api/sessions?user=FILTER-USER&device=" + device), "user")
            .jsonPath()
            .getList("items.id", Integer.class),
        "by participant, case-insensitive");
    String future = Instant.now().plusSeconds(3600).toString();
    assertEquals(
        0,
        expect(200, admin.cookie().get("/api/sessions?from=" + future), "from the future")
            .jsonPath()
            .getList("items")
            .size());
  }

  @Test
  void badInputIsAProblemNamingTheField() throws Exception {
    ApiClient admin = ApiClient.admin();
    expectProblem(400, "from", admin.cookie().get("/api/sessions?from=yesterday"), "bad from");
    expectProblem(400, "to", admin.cookie().get("/api/sessions?to=2026-13-01"), "bad to");
    expectProblem(400, "limit", admin.cookie().get("/api/sessions?limit=0"), "bad limit");
    expectProblem(400, "cursor", admin.cookie().get("/api/sessions?cursor=x"), "bad cursor");
    expectProblem(404, null, admin.cookie().get("/api/sessions/987654321"), "no such session");
    long id = session(admin.createDevice(null).id(), "x", CloseReasons.CLOSED_BY_USER);
    expectProblem(
        400,
        "format",
        admin.cookie().get("/api/sessions/" + id + "/recording?format=mp4"),
        "format");
    expectProblem(
        404, null, admin.cookie().get("/api/sessions/" + id + "/recording"), "nothing recorded");
    expectProblem(409, "id", admin.cookie().delete("/api/sessions/" + id), "already ended");
  }

  @Test
  void onlyAdminsEndSessions() throws Exception {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    admin.grant(u.id(), "default", "operator");
    long live = session(admin.createDevice(null).id(), "y", null);
    expectProblem(403, null, ApiClient.signIn(u).cookie().delete("/api/sessions/" + live), "user");
    // no node holds this session: the admin's end closes the row
    expect(204, admin.cookie().delete("/api/sessions/" + live), "admin ends it");
    assertEquals(
        "ended-by-admin",
        expect(200, admin.cookie().get("/api/sessions/" + live), "get")
            .jsonPath()
            .getString("closeReason"));
  }

  @Test
  void groupRecordingPolicyAndRetentionAreValidated() {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    String id =
        expect(200, admin.cookie().get("/api/groups"), "groups")
            .jsonPath()
            .getString("items.find { it.name == '" + group + "' }.id");
    assertEquals(
        "output",
        expect(200, admin.cookie().get("/api/groups"), "groups")
            .jsonPath()
            .getString("items.find { it.name == '" + group + "' }.recording"),
        "the default policy records output only");
    expectProblem(
        400,
        "recording",
        admin.cookie().body(Map.of("recording", "sometimes")).patch("/api/groups/" + id),
        "bad policy");
    expectProblem(
        400,
        "retentionDays",
        admin.cookie().body(Map.of("retentionDays", 0)).patch("/api/groups/" + id),
        "bad retention");
    var changed =
        expect(
                200,
                admin
                    .cookie()
                    .body(Map.of("recording", "all", "retentionDays", 30))
                    .patch("/api/groups/" + id),
                "change")
            .jsonPath();
    assertEquals("all", changed.getString("recording"));
    assertEquals(30, changed.getInt("retentionDays"));
    ApiClient.NewUser u = admin.createUser();
    expectProblem(
        403,
        null,
        ApiClient.signIn(u).cookie().body(Map.of("recording", "off")).patch("/api/groups/" + id),
        "not an admin");
  }

  @Test
  void recordingsPastTheirGroupsRetentionAreDeletedAndTheSessionStays() throws Exception {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    String groupId =
        expect(200, admin.cookie().get("/api/groups"), "groups")
            .jsonPath()
            .getString("items.find { it.name == '" + group + "' }.id");
    expect(
        200,
        admin.cookie().body(Map.of("retentionDays", 1)).patch("/api/groups/" + groupId),
        "one day");
    String device = admin.createDevice(group).id();
    long old = rows.create(Long.parseLong(device), "console", "output", Instant.now());
    long recent = rows.create(Long.parseLong(device), "console", "output", Instant.now());
    try (Connection c = dataSource.getConnection()) {
      Instant twoDaysAgo = Instant.now().minus(java.time.Duration.ofDays(2));
      new JournalEntry.Ended(old, CloseReasons.CLOSED_BY_USER, twoDaysAgo, 0, 2, 2, 0).write(c);
      new JournalEntry.Ended(recent, CloseReasons.CLOSED_BY_USER, Instant.now(), 0, 2, 2, 0)
          .write(c);
      for (long id : List.of(old, recent)) {
        io.tether.recording.RecordingFormat.ChunkWriter w =
            new io.tether.recording.RecordingFormat.ChunkWriter();
        w.output(0, new byte[] {'h', 'i'}, 0, 2);
        new JournalEntry.Chunk(id, 1, 0, w.seal()).write(c);
      }
    }
    retention.purgeNow();
    expectProblem(
        404, null, admin.cookie().get("/api/sessions/" + old + "/recording"), "purged recording");
    expect(200, admin.cookie().get("/api/sessions/" + old), "the session row stays");
    expect(200, admin.cookie().get("/api/sessions/" + recent + "/recording"), "a recent one stays");
  }

  @Test
  void retentionDaysMustBeWithin1To36500() {
    ApiClient admin = ApiClient.admin();
    String id = admin.groupId(admin.createGroup());
    for (int days : new int[] {0, 36_501, Integer.MAX_VALUE}) {
      expectProblem(
          400,
          "retentionDays",
          admin.cookie().body(Map.of("retentionDays", days)).patch("/api/groups/" + id),
          "retentionDays " + days);
    }
    for (int days : new int[] {1, 36_500}) {
      assertEquals(
          days,
          expect(
                  200,
                  admin.cookie().body(Map.of("retentionDays", days)).patch("/api/groups/" + id),
                  "retentionDays " + days)
              .jsonPath()
              .getInt("retentionDays"));
    }
  }

  @Test
  void oneGroupsFailingPurgeDoesNotStopTheOtherGroups() throws Exception {
    ApiClient admin = ApiClient.admin();
    String broken = admin.createGroup();
    String fine = admin.createGroup();
    String brokenId = admin.groupId(broken);
    expect(
        200,
        admin.cookie().body(Map.of("retentionDays", 1)).patch("/api/groups/" + admin.groupId(fine)),
        "one day");
    long old =
        rows.create(
            Long.parseLong(admin.createDevice(fine).id()), "console", "output", Instant.now());
    long kept =
        rows.create(
            Long.parseLong(admin.createDevice(broken).id()), "console", "output", Instant.now());
    try (Connection c = dataSource.getConnection()) {
      // a value the API refuses now, stored before it did: now() minus it is out of range
      c.createStatement()
          .executeUpdate(
              "update device_groups set retention_days = "
                  + Integer.MAX_VALUE
                  + " where id = "
                  + brokenId);
      for (long id : List.of(old, kept)) {
        new JournalEntry.Ended(
                id,
                CloseReasons.CLOSED_BY_USER,
                Instant.now().minus(java.time.Duration.ofDays(2)),
                0,
                2,
                2,
                0)
            .write(c);
        io.tether.recording.RecordingFormat.ChunkWriter w =
            new io.tether.recording.RecordingFormat.ChunkWriter();
        w.output(0, new byte[] {'h', 'i'}, 0, 2);
        new JournalEntry.Chunk(id, 1, 0, w.seal()).write(c);
      }
    }
    try {
      retention.purgeNow();
      expectProblem(
          404,
          null,
          admin.cookie().get("/api/sessions/" + old + "/recording"),
          "a recording past its group's retention, beside a group whose purge fails");
      expect(
          200,
          admin.cookie().get("/api/sessions/" + kept + "/recording"),
          "the failing group's recording is left alone");
    } finally {
      try (Connection c = dataSource.getConnection()) {
        c.createStatement()
            .executeUpdate("update device_groups set retention_days = null where id = " + brokenId);
      }
    }
  }

  @Test
  void grantsCarryTheReplayRight() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    var grant =
        expect(
                201,
                admin
                    .cookie()
                    .body(Map.of("group", "default", "role", "viewer", "replay", true))
                    .post("/api/users/" + u.id() + "/grants"),
                "grant with replay")
            .jsonPath();
    assertTrue(grant.getBoolean("replay"));
  }
}
