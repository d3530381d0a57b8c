package io.tether.user;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Groups and (user, group, role) grants: created by admins, seen by the users they name. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class GrantsAndGroupsTest {

  private static List<String> groupNames(ApiClient client) {
    return expect(
            200, client.cookie().queryParam("limit", 200).get("/api/groups"), "GET /api/groups")
        .jsonPath()
        .getList("items.name", String.class);
  }

  @Test
  void createdGroupIsAnsweredAndListedForAdmins() {
    ApiClient admin = ApiClient.admin();
    String name = ApiClient.unique("group");
    JsonPath j =
        expect(
                201,
                admin.cookie().body(Map.of("name", name)).post("/api/groups"),
                "POST /api/groups")
            .jsonPath();
    assertEquals(name, j.getString("name"));
    assertFalse(j.getString("id") == null, "the group has no id");
    assertTrue(groupNames(admin).contains(name), "GET /api/groups does not list " + name);
  }

  @Test
  void duplicateGroupIs409() {
    ApiClient admin = ApiClient.admin();
    String name = admin.createGroup();
    expectProblem(
        409,
        null,
        admin.cookie().body(Map.of("name", name)).post("/api/groups"),
        "duplicate group");
  }

  @Test
  void groupWithoutNameIs400NamingName() {
    expectProblem(
        400,
        "name",
        ApiClient.admin().cookie().body(Map.of()).post("/api/groups"),
        "POST /api/groups {}");
  }

  @Test
  void grantIsListedAndTheUserSeesItInMeAndGroups() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    String granted = admin.createGroup();
    String other = admin.createGroup();
    JsonPath grant =
        expect(
                201,
                admin
                    .cookie()
                    .body(Map.of("group", granted, "role", "operator"))
                    .post("/api/users/" + u.id() + "/grants"),
                "POST grant")
            .jsonPath();
    assertEquals(granted, grant.getString("group"));
    assertEquals("operator", grant.getString("role"));
    assertEquals(u.id(), grant.getString("userId"));

    List<String> listed =
        expect(200, admin.cookie().get("/api/users/" + u.id() + "/grants"), "GET grants")
            .jsonPath()
            .getList("items.group", String.class);
    assertEquals(List.of(granted), listed, "GET /api/users/{id}/grants");

    ApiClient user = ApiClient.signIn(u);
    List<Map<String, Object>> mine = user.me().getList("grants");
    assertEquals(List.of(Map.of("group", granted, "role", "operator")), mine, "GET /api/me grants");
    List<String> visible = groupNames(user);
    assertTrue(visible.contains(granted), "GET /api/groups hides a granted group: " + visible);
    assertFalse(visible.contains(other), "GET /api/groups shows an ungranted group: " + visible);
  }

  @Test
  void secondGrantOnTheSameGroupIs409() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    String group = admin.createGroup();
    admin.grant(u.id(), group, "viewer");
    expectProblem(
        409,
        null,
        admin
            .cookie()
            .body(Map.of("group", group, "role", "operator"))
            .post("/api/users/" + u.id() + "/grants"),
        "a second grant on one group");
  }

  @Test
  void unknownRoleIs400NamingRole() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    String group = admin.createGroup();
    for (String role : List.of("owner", "admin", "")) {
      expectProblem(
          400,
          "role",
          admin
              .cookie()
              .body(Map.of("group", group, "role", role))
              .post("/api/users/" + u.id() + "/grants"),
          "grant with role '" + role + "'");
    }
  }

  @Test
  void deletedGrantTakesAccessAway() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    String group = admin.createGroup();
    ApiClient.NewDevice device = admin.createDevice(group);
    String grantId = admin.grant(u.id(), group, "viewer");
    ApiClient user = ApiClient.signIn(u);
    expect(200, user.cookie().get("/api/devices/" + device.id()), "the device while granted");
    expect(
        204, admin.cookie().delete("/api/users/" + u.id() + "/grants/" + grantId), "DELETE grant");
    expectProblem(
        404, null, user.cookie().get("/api/devices/" + device.id()), "the device after the grant");
    assertEquals(List.of(), user.me().getList("grants"), "GET /api/me grants after the delete");
  }
}
