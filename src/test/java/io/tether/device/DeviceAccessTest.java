package io.tether.device;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A user who is operator on group A and viewer on group B sees exactly those groups' devices; a
 * group-C device does not exist for them (404); device changes stay admin-only (403).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class DeviceAccessTest {
  private record Fixture(
      ApiClient admin,
      ApiClient user,
      String groupA,
      String groupB,
      String groupC,
      ApiClient.NewDevice inA,
      ApiClient.NewDevice inB,
      ApiClient.NewDevice inC) {}

  private static Fixture fixture;

  /** Built once per class on first use; no test changes it (refusals change nothing). */
  private static synchronized Fixture fixture() {
    if (fixture == null) {
      ApiClient admin = ApiClient.admin();
      String a = admin.createGroup();
      String b = admin.createGroup();
      String c = admin.createGroup();
      ApiClient.NewUser u = admin.createUser();
      admin.grant(u.id(), a, "operator");
      admin.grant(u.id(), b, "viewer");
      fixture =
          new Fixture(
              admin,
              ApiClient.signIn(u),
              a,
              b,
              c,
              admin.createDevice(a),
              admin.createDevice(b),
              admin.createDevice(c));
    }
    return fixture;
  }

  private static Set<String> listedNames(ApiClient client, String query) {
    return Set.copyOf(
        expect(200, client.cookie().get("/api/devices" + query), "GET /api/devices" + query)
            .jsonPath()
            .getList("items.name", String.class));
  }

  @Test
  void meListsBothGrants() {
    Fixture f = fixture();
    assertEquals(
        Set.of(
            Map.of("group", f.groupA(), "role", "operator"),
            Map.of("group", f.groupB(), "role", "viewer")),
        Set.copyOf(f.user().me().getList("grants")),
        "GET /api/me grants");
  }

  @Test
  void listShowsTheDevicesOfBothGrantedGroupsAndNothingElse() {
    Fixture f = fixture();
    assertEquals(
        Set.of(f.inA().name(), f.inB().name()), listedNames(f.user(), ""), "GET /api/devices");
  }

  @Test
  void filteringByAnUngrantedGroupShowsNothing() {
    Fixture f = fixture();
    assertEquals(Set.of(), listedNames(f.user(), "?group=" + f.groupC()), "?group=C");
  }

  @Test
  void eachVisibleDeviceCanBeRead() {
    Fixture f = fixture();
    for (ApiClient.NewDevice d : List.of(f.inA(), f.inB())) {
      expect(200, f.user().cookie().get("/api/devices/" + d.id()), "GET " + d.name());
    }
  }

  @Test
  void ungrantedGroupsDeviceIs404ForGetPatchDeleteAndRotate() {
    Fixture f = fixture();
    String path = "/api/devices/" + f.inC().id();
    ApiClient u = f.user();
    expectProblem(404, null, u.cookie().get(path), "GET a group-C device");
    expectProblem(
        404,
        null,
        u.cookie().body(Map.of("description", "x")).patch(path),
        "PATCH a group-C device");
    expectProblem(404, null, u.cookie().delete(path), "DELETE a group-C device");
    expectProblem(404, null, u.cookie().post(path + "/token"), "rotate a group-C device");
    expect(200, f.admin().cookie().get(path), "the group-C device after the refusals");
  }

  @Test
  void ungrantedDeviceAnswersLikeAMissingOne() {
    Fixture f = fixture();
    Response hidden = f.user().cookie().get("/api/devices/" + f.inC().id());
    Response missing = f.user().cookie().get("/api/devices/999999999");
    expectProblem(404, null, hidden, "a group-C device");
    expectProblem(404, null, missing, "no device");
    assertEquals(
        missing.jsonPath().getString("title"),
        hidden.jsonPath().getString("title"),
        "a hidden device's 404 differs from a missing one's");
  }

  @Test
  void viewerGets403ForDeviceChanges() {
    Fixture f = fixture();
    String path = "/api/devices/" + f.inB().id();
    ApiClient u = f.user();
    expectProblem(
        403, null, u.cookie().body(Map.of("description", "x")).patch(path), "viewer PATCH");
    expectProblem(403, null, u.cookie().post(path + "/token"), "viewer rotate");
    expectProblem(403, null, u.cookie().delete(path), "viewer DELETE");
    expect(200, u.cookie().get(path), "the group-B device after the refusals");
  }

  @Test
  void operatorGets403ForAdminOnlyDeviceChanges() {
    Fixture f = fixture();
    String path = "/api/devices/" + f.inA().id();
    ApiClient u = f.user();
    expectProblem(
        403, null, u.cookie().body(Map.of("description", "x")).patch(path), "operator PATCH");
    expectProblem(403, null, u.cookie().post(path + "/token"), "operator rotate");
    expectProblem(403, null, u.cookie().delete(path), "operator DELETE");
    expectProblem(
        403,
        null,
        u.cookie()
            .body(Map.of("name", ApiClient.unique("dev"), "group", f.groupA()))
            .post("/api/devices"),
        "operator POST /api/devices");
  }

  @Test
  void userWithoutGrantsSeesNoDevices() {
    Fixture f = fixture();
    ApiClient nobody = ApiClient.signIn(f.admin().createUser());
    assertEquals(Set.of(), listedNames(nobody, ""), "GET /api/devices of a user without grants");
  }
}
