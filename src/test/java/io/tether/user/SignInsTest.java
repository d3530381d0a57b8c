package io.tether.user;

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
import org.junit.jupiter.api.Test;

/**
 * A user's list of their own sign-ins: each live browser session with how, where and when, the
 * caller's own marked; signing one out ends just that one; another user's or an ended one is 404.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SignInsTest {
  @Test
  void theListShowsEachLiveSignInAndMarksTheCallersOwn() {
    ApiClient.NewUser u = ApiClient.admin().createUser();
    ApiClient laptop = ApiClient.signIn(u.username(), u.password(), "192.0.2.10");
    ApiClient phone = ApiClient.signIn(u.username(), u.password(), "192.0.2.20");

    JsonPath list = expect(200, laptop.cookie().get("/api/me/sign-ins"), "GET").jsonPath();
    assertEquals(2, list.getList("items").size(), list.prettify());
    assertEquals(List.of("password", "password"), list.getList("items.method", String.class));
    assertEquals(
        List.of(false, true), list.getList("items.current", Boolean.class), "newest first");
    assertEquals("192.0.2.10", list.getString("items[1].address"));
    assertTrue(
        list.getString("items[0].endsAt") != null && list.getString("items[0].lastSeenAt") != null);
    assertEquals(
        Boolean.TRUE,
        expect(200, phone.cookie().get("/api/me/sign-ins"), "GET")
            .jsonPath()
            .getBoolean("items[0].current"),
        "the phone's own is its newest");
  }

  @Test
  void signingOneOutEndsThatOneOnlyAndIsAudited() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient laptop = ApiClient.signIn(u.username(), u.password(), "192.0.2.30");
    ApiClient phone = ApiClient.signIn(u.username(), u.password(), "192.0.2.31");
    long phoneId =
        expect(200, phone.cookie().get("/api/me/sign-ins"), "GET")
            .jsonPath()
            .getLong("items[0].id");

    expect(204, laptop.cookie().delete("/api/me/sign-ins/" + phoneId), "DELETE the phone's");
    expect(401, phone.cookie().get("/api/me"), "the phone is signed out");
    expect(200, laptop.cookie().get("/api/me"), "the laptop is not");
    expectProblem(
        404, null, laptop.cookie().delete("/api/me/sign-ins/" + phoneId), "DELETE an ended one");
    JsonPath audit =
        expect(
                200,
                admin
                    .cookie()
                    .queryParam("action", "auth.logout")
                    .queryParam("actor", u.username())
                    .get("/api/audit"),
                "GET /api/audit")
            .jsonPath();
    assertEquals(1, audit.getList("items").size(), audit.prettify());
  }

  @Test
  void anotherUsersSignInIsNotFoundAndStaysSignedIn() {
    ApiClient admin = ApiClient.admin();
    ApiClient alice = ApiClient.signIn(admin.createUser());
    ApiClient.NewUser b = admin.createUser();
    ApiClient bob = ApiClient.signIn(b.username(), b.password(), "192.0.2.40");
    long bobs =
        expect(200, bob.cookie().get("/api/me/sign-ins"), "GET").jsonPath().getLong("items[0].id");
    expectProblem(404, null, alice.cookie().delete("/api/me/sign-ins/" + bobs), "DELETE bob's");
    expect(200, bob.cookie().get("/api/me"), "bob is still signed in");
  }
}
