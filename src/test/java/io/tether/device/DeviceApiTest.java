package io.tether.device;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Admins create, read, change, re-key and soft-delete devices. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class DeviceApiTest {

  private static Response create(ApiClient admin, Map<String, ?> body) {
    return admin.cookie().body(body).post("/api/devices");
  }

  @Test
  void createAnswersTheDeviceWithATdvTokenShownOnlyThere() {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    String name = ApiClient.unique("dev");
    Response created =
        create(
            admin,
            Map.of(
                "name", name, "description", "bench PSU", "group", group, "tags", List.of("lab")));
    JsonPath j = expect(201, created, "POST /api/devices").jsonPath();
    String token = j.getString("token");
    assertTrue(token != null && token.startsWith("tdv_"), "device token is not tdv_…: " + token);
    assertEquals(name, j.getString("name"));
    assertEquals("bench PSU", j.getString("description"));
    assertEquals(group, j.getString("group"));
    assertEquals(List.of("lab"), j.getList("tags"));
    assertFalse(j.getBoolean("online"), "a device that never connected is online");
    assertFalse(j.getString("createdAt") == null, "no createdAt: " + created.asString());

    Response read = expect(200, admin.cookie().get("/api/devices/" + j.getString("id")), "GET");
    assertEquals(name, read.jsonPath().getString("name"));
    assertFalse(read.asString().contains(token), "GET /api/devices/{id} shows the token");
    assertTrue(read.jsonPath().get("token") == null, "GET has a 'token': " + read.asString());
  }

  @Test
  void deviceWithoutGroupIsInTheDefaultGroup() {
    ApiClient admin = ApiClient.admin();
    JsonPath j =
        expect(201, create(admin, Map.of("name", ApiClient.unique("dev"))), "POST").jsonPath();
    assertEquals("default", j.getString("group"));
  }

  @Test
  void missingNameIs400NamingName() {
    expectProblem(
        400,
        "name",
        create(ApiClient.admin(), Map.of("description", "x")),
        "POST /api/devices without name");
  }

  @Test
  void invalidNamesAre400NamingName() {
    ApiClient admin = ApiClient.admin();
    for (String bad : List.of("", "has space", "slash/name", "d".repeat(65))) {
      expectProblem(
          400, "name", create(admin, Map.of("name", bad)), "POST /api/devices name '" + bad + "'");
    }
  }

  @Test
  void duplicateNameIs409() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice d = admin.createDevice(null);
    expectProblem(
        409, null, create(admin, Map.of("name", d.name())), "a second device " + d.name());
  }

  @Test
  void patchChangesOnlyTheGivenFields() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice d = admin.createDevice(null, List.of("old"));
    String group = admin.createGroup();
    JsonPath patched =
        expect(
                200,
                admin
                    .cookie()
                    .body(Map.of("description", "moved", "group", group, "tags", List.of("a", "b")))
                    .patch("/api/devices/" + d.id()),
                "PATCH /api/devices/{id}")
            .jsonPath();
    assertEquals(d.name(), patched.getString("name"), "PATCH without name changed the name");
    assertEquals("moved", patched.getString("description"));
    assertEquals(group, patched.getString("group"));
    assertEquals(Set.of("a", "b"), Set.copyOf(patched.getList("tags", String.class)));
    JsonPath read = expect(200, admin.cookie().get("/api/devices/" + d.id()), "GET").jsonPath();
    assertEquals(group, read.getString("group"), "GET after PATCH");
  }

  @Test
  void patchOfTheDescriptionAloneKeepsNameGroupAndTags() {
    ApiClient admin = ApiClient.admin();
    String group = admin.createGroup();
    ApiClient.NewDevice d = admin.createDevice(group, List.of("kept"));
    JsonPath patched =
        expect(
                200,
                admin
                    .cookie()
                    .body(Map.of("description", "only this"))
                    .patch("/api/devices/" + d.id()),
                "PATCH /api/devices/{id} {description}")
            .jsonPath();
    assertEquals("only this", patched.getString("description"));
    assertEquals(d.name(), patched.getString("name"));
    assertEquals(group, patched.getString("group"));
    assertEquals(List.of("kept"), patched.getList("tags"));
  }

  @Test
  void renameToATakenNameIs409() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice first = admin.createDevice(null);
    ApiClient.NewDevice second = admin.createDevice(null);
    expectProblem(
        409,
        null,
        admin.cookie().body(Map.of("name", first.name())).patch("/api/devices/" + second.id()),
        "rename to a taken name");
  }

  @Test
  void rotateAnswersANewTdvToken() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice d = admin.createDevice(null);
    String rotated =
        expect(200, admin.cookie().post("/api/devices/" + d.id() + "/token"), "rotate")
            .jsonPath()
            .getString("token");
    assertTrue(rotated != null && rotated.startsWith("tdv_"), "rotated token: " + rotated);
    assertNotEquals(d.token(), rotated, "rotation answered the old token");
  }

  @Test
  void deletedDeviceIs404EverywhereButItsAuditStaysAndItsNameIsFree() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewDevice d = admin.createDevice(null);
    String path = "/api/devices/" + d.id();
    expect(204, admin.cookie().delete(path), "DELETE");
    expectProblem(404, null, admin.cookie().get(path), "GET a deleted device");
    expectProblem(404, null, admin.cookie().body(Map.of("description", "x")).patch(path), "PATCH");
    expectProblem(404, null, admin.cookie().post(path + "/token"), "rotate a deleted device");
    expectProblem(404, null, admin.cookie().delete(path), "DELETE a deleted device");
    List<String> listed =
        expect(200, admin.cookie().queryParam("name", d.name()).get("/api/devices"), "list")
            .jsonPath()
            .getList("items.name", String.class);
    assertFalse(listed.contains(d.name()), "GET /api/devices lists a deleted device");

    Set<String> actions =
        admin.audit(Map.of("device", d.id())).stream()
            .map(e -> (String) e.get("action"))
            .collect(Collectors.toSet());
    assertTrue(
        actions.containsAll(Set.of("device.create", "device.delete")),
        "audit of the deleted device has " + actions);

    expect(201, create(admin, Map.of("name", d.name())), "re-creating a deleted device's name");
  }
}
