package io.tether.device;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group's default encoding and tags are what its new devices get, however they are made. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class GroupDefaultsTest {

  /** A new group with default encoding cp437 and default tags site-a, rack-2; its view. */
  private static JsonPath groupWithDefaults(ApiClient admin) {
    String name = admin.createGroup();
    String id = admin.groupId(name);
    return expect(
            200,
            admin
                .cookie()
                .body(
                    Map.of("defaultEncoding", "cp437", "defaultTags", List.of("site-a", "rack-2")))
                .patch("/api/groups/" + id),
            "PATCH /api/groups/" + id)
        .jsonPath();
  }

  /** POSTs {@code body} to /api/devices, expecting 201; the device as GET then shows it. */
  private static JsonPath created(ApiClient admin, Map<String, ?> body) {
    String id =
        expect(201, admin.cookie().body(body).post("/api/devices"), "POST /api/devices " + body)
            .jsonPath()
            .getString("id");
    return expect(200, admin.cookie().get("/api/devices/" + id), "GET /api/devices/" + id)
        .jsonPath();
  }

  @Test
  void theGroupShowsItsDefaultsAndTheChangeIsAudited() {
    ApiClient admin = ApiClient.admin();
    JsonPath group = groupWithDefaults(admin);
    assertEquals("cp437", group.getString("defaultEncoding"));
    assertEquals(List.of("site-a", "rack-2"), group.getList("defaultTags"));
    JsonPath listed = expect(200, admin.cookie().get("/api/groups"), "GET /api/groups").jsonPath();
    String at = "items.find { it.name == '" + group.getString("name") + "' }";
    assertEquals("cp437", listed.getString(at + ".defaultEncoding"));
    assertEquals(List.of("site-a", "rack-2"), listed.getList(at + ".defaultTags"));
    assertTrue(
        admin.audit(Map.of("action", "group.change")).stream()
            .anyMatch(
                e ->
                    group.getString("name").equals(e.get("subject"))
                        && String.valueOf(e.get("detail"))
                            .contains("default encoding cp437; default tags [site-a rack-2]")),
        "no group.change audit entry naming the new defaults");
  }

  @Test
  void aGroupWithoutDefaultsGivesUtf8AndNoTags() {
    ApiClient admin = ApiClient.admin();
    String name = admin.createGroup();
    JsonPath listed = expect(200, admin.cookie().get("/api/groups"), "GET /api/groups").jsonPath();
    String at = "items.find { it.name == '" + name + "' }";
    assertEquals("utf-8", listed.getString(at + ".defaultEncoding"));
    assertEquals(List.of(), listed.getList(at + ".defaultTags"));
  }

  @Test
  void anAdminsNewDeviceTakesTheDefaultsItDoesNotOverride() {
    ApiClient admin = ApiClient.admin();
    String group = groupWithDefaults(admin).getString("name");
    JsonPath read =
        created(
            admin,
            Map.of(
                "name", ApiClient.unique("dev"), "group", group, "tags", List.of("own", "site-a")));
    assertEquals("cp437", read.getString("encoding"), "the group's default encoding");
    assertEquals(List.of("site-a", "rack-2", "own"), read.getList("tags"), "defaults ∪ own tags");
    assertEquals(
        "latin-1",
        created(
                admin,
                Map.of("name", ApiClient.unique("dev"), "group", group, "encoding", "latin-1"))
            .getString("encoding"),
        "a device's own encoding wins over the group's default");
  }

  @Test
  void aSelfEnrolledDeviceTakesTheDefaultsAndTheTokensTags() {
    ApiClient admin = ApiClient.admin();
    String group = groupWithDefaults(admin).getString("name");
    String token =
        expect(
                201,
                admin
                    .cookie()
                    .body(Map.of("group", group, "tags", List.of("from-token")))
                    .post("/api/enrollment-tokens"),
                "POST /api/enrollment-tokens")
            .jsonPath()
            .getString("token");
    String deviceId =
        expect(
                201,
                ApiClient.bearer(token, ApiClient.randomAddress())
                    .body(Map.of("name", ApiClient.unique("enrolled")))
                    .post("/api/enroll"),
                "POST /api/enroll")
            .jsonPath()
            .getString("deviceId");
    JsonPath read =
        expect(200, admin.cookie().get("/api/devices/" + deviceId), "GET enrolled").jsonPath();
    assertEquals("cp437", read.getString("encoding"));
    assertEquals(List.of("site-a", "rack-2", "from-token"), read.getList("tags"));
  }

  @Test
  void badDefaultsAre400NamingTheField() {
    ApiClient admin = ApiClient.admin();
    String id = admin.groupId(admin.createGroup());
    expectProblem(
        400,
        "defaultEncoding",
        admin.cookie().body(Map.of("defaultEncoding", "ebcdic")).patch("/api/groups/" + id),
        "PATCH defaultEncoding ebcdic");
    expectProblem(
        400,
        "defaultTags",
        admin.cookie().body(Map.of("defaultTags", List.of("has space"))).patch("/api/groups/" + id),
        "PATCH defaultTags with a space");
  }
}
