package io.tether.audit;

import static io.tether.testing.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** What users and admins do is in the audit log with actor, outcome and client address. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class AuditLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Fails unless the log (as seen by {@code reader}) has an {@code action} entry by {@code actor}
   * from {@code address} with {@code outcome} whose subject or detail mentions {@code about}.
   */
  private static Map<String, Object> assertRecorded(
      ApiClient reader, String action, String actor, String address, String outcome, String about) {
    List<Map<String, Object>> entries = reader.audit(Map.of("action", action, "actor", actor));
    return entries.stream()
        .filter(e -> action.equals(e.get("action")) && actor.equals(e.get("actor")))
        .filter(e -> address.equals(e.get("address")) && outcome.equals(e.get("outcome")))
        .filter(
            e ->
                about == null
                    || String.valueOf(e.get("subject")).contains(about)
                    || String.valueOf(e.get("detail")).contains(about))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + action
                        + " ("
                        + outcome
                        + ") by "
                        + actor
                        + " from "
                        + address
                        + " about "
                        + about
                        + "; found "
                        + entries));
  }

  @Test
  void successfulAndFailedLoginsAreRecorded() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    String badAddress = ApiClient.randomAddress();
    ApiClient.login(u.username(), "wrong-password", badAddress);
    ApiClient user = ApiClient.signIn(u);
    assertRecorded(admin, "auth.login", u.username(), badAddress, "failed", null);
    Map<String, Object> ok =
        assertRecorded(admin, "auth.login", u.username(), user.address(), "ok", null);
    assertNotNull(ok.get("id"), "entry without id");
    Instant.parse((String) ok.get("at"));
  }

  @Test
  void logoutsAreRecorded() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient one = ApiClient.signIn(u);
    ApiClient two = ApiClient.signIn(u);
    expect(204, one.cookie().post("/api/auth/logout"), "logout");
    expect(204, two.cookie().post("/api/auth/logout-everywhere"), "logout-everywhere");
    assertRecorded(admin, "auth.logout", u.username(), one.address(), "ok", null);
    assertRecorded(admin, "auth.logout-everywhere", u.username(), two.address(), "ok", null);
  }

  @Test
  void userGroupAndGrantChangesAreRecordedWithTheAdminAsActor() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    String group = admin.createGroup();
    String grant = admin.grant(u.id(), group, "viewer");
    expect(
        200,
        admin.cookie().body(Map.of("disabled", true)).patch("/api/users/" + u.id()),
        "PATCH user");
    expect(204, admin.cookie().delete("/api/users/" + u.id() + "/grants/" + grant), "DELETE grant");
    expect(204, admin.cookie().delete("/api/users/" + u.id()), "DELETE user");
    String a = admin.address();
    assertRecorded(admin, "user.create", "admin", a, "ok", u.username());
    assertRecorded(admin, "group.create", "admin", a, "ok", group);
    assertRecorded(admin, "grant.create", "admin", a, "ok", u.username());
    assertRecorded(admin, "user.update", "admin", a, "ok", u.username());
    assertRecorded(admin, "grant.delete", "admin", a, "ok", u.username());
    assertRecorded(admin, "user.delete", "admin", a, "ok", u.username());
  }

  @Test
  void passwordChangesAreRecorded() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient user = ApiClient.signIn(u);
    expect(
        204,
        user.cookie()
            .body(Map.of("currentPassword", u.password(), "newPassword", "changed-" + u.password()))
            .post("/api/me/password"),
        "own password change");
    expect(
        204,
        admin
            .cookie()
            .body(Map.of("password", "reset-" + u.password()))
            .post("/api/users/" + u.id() + "/password"),
        "admin reset");
    assertRecorded(admin, "user.password", u.username(), user.address(), "ok", null);
    assertRecorded(admin, "user.password", "admin", admin.address(), "ok", u.username());
  }

  @Test
  void tokenCreateAndRevokeAreRecordedWithTheOwnerAsActor() {
    ApiClient admin = ApiClient.admin();
    ApiClient user = ApiClient.signIn(admin.createUser());
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    expect(204, user.cookie().delete("/api/tokens/" + token.id()), "revoke");
    assertRecorded(admin, "token.create", user.username(), user.address(), "ok", null);
    assertRecorded(admin, "token.revoke", user.username(), user.address(), "ok", null);
  }

  @Test
  void deviceChangesAreRecordedAgainstTheDevice() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice d = admin.createDevice(null);
    String path = "/api/devices/" + d.id();
    expect(200, admin.cookie().body(Map.of("description", "changed")).patch(path), "PATCH");
    expect(200, admin.cookie().post(path + "/token"), "rotate");
    expect(204, admin.cookie().delete(path), "DELETE");
    for (String action :
        List.of("device.create", "device.update", "device.rotate-token", "device.delete")) {
      Map<String, Object> e = assertRecorded(admin, action, "admin", admin.address(), "ok", null);
      List<Map<String, Object>> forDevice = admin.audit(Map.of("device", d.id(), "action", action));
      assertTrue(
          forDevice.stream()
              .anyMatch(
                  x ->
                      d.id().equals(String.valueOf(x.get("deviceId")))
                          && "admin".equals(x.get("actor"))),
          action + " is not recorded against device " + d.id() + ": " + forDevice + " / " + e);
    }
  }

  @Test
  void auditDoesNotRecordSecrets() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient user = ApiClient.signIn(u);
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    String log =
        expect(
                200,
                admin
                    .cookie()
                    .queryParam("actor", u.username())
                    .queryParam("limit", 200)
                    .get("/api/audit"),
                "GET /api/audit")
            .asString();
    assertFalse(log.contains(u.password()), "the audit log shows a password");
    assertFalse(log.contains(token.token()), "the audit log shows an API token");
  }

  @Test
  void nonAdminsSeeOnlyTheirOwnEntries() {
    ApiClient admin = ApiClient.admin();
    ApiClient user = ApiClient.signIn(admin.createUser());
    user.createToken(ApiClient.unique("tok"), null);
    for (Map<String, ?> query : List.of(Map.<String, Object>of(), Map.of("actor", "admin"))) {
      List<Map<String, Object>> seen = user.audit(query);
      assertTrue(
          seen.stream().allMatch(e -> user.username().equals(e.get("actor"))),
          "a non-admin sees others' entries with " + query + ": " + seen);
    }
    assertFalse(user.audit(Map.of()).isEmpty(), "a non-admin does not see their own entries");
  }

  @Test
  void actionFilterAndNewestFirstPaging() {
    ApiClient admin = ApiClient.admin();
    ApiClient user = ApiClient.signIn(admin.createUser());
    user.createToken(ApiClient.unique("tok"), null);
    user.createToken(ApiClient.unique("tok"), null);
    JsonPath first =
        expect(
                200,
                admin
                    .cookie()
                    .queryParam("actor", user.username())
                    .queryParam("action", "token.create")
                    .queryParam("limit", 1)
                    .get("/api/audit"),
                "page 1")
            .jsonPath();
    String next = first.getString("next");
    assertNotNull(next, "limit=1 over two entries gives no next");
    JsonPath second =
        expect(
                200,
                admin
                    .cookie()
                    .queryParam("actor", user.username())
                    .queryParam("action", "token.create")
                    .queryParam("limit", 1)
                    .queryParam("cursor", next)
                    .get("/api/audit"),
                "page 2")
            .jsonPath();
    Instant newer = Instant.parse(first.getString("items[0].at"));
    Instant older = Instant.parse(second.getString("items[0].at"));
    assertFalse(
        Objects.equals(first.getString("items[0].id"), second.getString("items[0].id")),
        "page 2 repeats page 1");
    assertFalse(
        older.isAfter(newer), "page 2 (" + older + ") is newer than page 1 (" + newer + ")");
    assertEquals("token.create", second.getString("items[0].action"));
  }

  @Test
  void exportAsJsonLinesIsOneEntryObjectPerLine() throws Exception {
    ApiClient admin = ApiClient.admin();
    ApiClient user = ApiClient.signIn(admin.createUser());
    user.createToken(ApiClient.unique("tok"), null);
    String body =
        expect(
                200,
                admin
                    .cookie()
                    .queryParam("format", "jsonl")
                    .queryParam("actor", user.username())
                    .get("/api/audit/export"),
                "export jsonl")
            .asString();
    List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.size() >= 2, "expected auth.login and token.create lines, got: " + body);
    for (String line : lines) {
      JsonNode entry = JSON.readTree(line);
      assertTrue(entry.isObject(), "a JSON lines line is not an object: " + line);
      assertEquals(user.username(), entry.path("actor").asText(), "filtered export line: " + line);
    }
  }

  @Test
  void nonAdminsExportOnlyTheirOwnEntries() throws Exception {
    ApiClient user = ApiClient.signIn(ApiClient.admin().createUser());
    user.createToken(ApiClient.unique("tok"), null);
    String body =
        expect(
                200,
                user.cookie().queryParam("format", "jsonl").get("/api/audit/export"),
                "a non-admin's export")
            .asString();
    List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
    assertFalse(lines.isEmpty(), "a non-admin's export is empty");
    for (String line : lines) {
      assertEquals(
          user.username(), JSON.readTree(line).path("actor").asText(), "export line: " + line);
    }
  }

  @Test
  void exportAsCsvStartsWithAHeaderLine() {
    ApiClient admin = ApiClient.admin();
    ApiClient user = ApiClient.signIn(admin.createUser());
    user.createToken(ApiClient.unique("tok"), null);
    String body =
        expect(
                200,
                admin
                    .cookie()
                    .queryParam("format", "csv")
                    .queryParam("actor", user.username())
                    .get("/api/audit/export"),
                "export csv")
            .asString();
    List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
    assertFalse(lines.isEmpty(), "empty CSV export");
    String header = lines.get(0);
    for (String column : List.of("at", "actor", "action", "outcome", "address")) {
      assertTrue(header.contains(column), "CSV header lacks " + column + ": " + header);
    }
    assertTrue(lines.size() >= 3, "expected a header and two entries, got: " + body);
    assertTrue(
        lines.stream().skip(1).allMatch(l -> l.contains(user.username())),
        "a CSV line is not about " + user.username() + ": " + body);
  }
}
