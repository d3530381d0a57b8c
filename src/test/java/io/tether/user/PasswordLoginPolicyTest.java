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
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Password sign-in can be turned off per user (single sign-on only); a break-glass admin still
 * signs in with the password; the refusal is audited. Password-only deployments behave as before.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class PasswordLoginPolicyTest {
  @Inject AuthService auth;

  private static void patch(ApiClient admin, String id, Map<String, Object> body) {
    expect(200, admin.cookie().body(body).patch("/api/users/" + id), "PATCH /api/users/" + id);
  }

  @Test
  void aUserWithoutPasswordSignInIsRefusedAndAudited() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    JsonPath view = expect(200, admin.cookie().get("/api/users/" + u.id()), "GET user").jsonPath();
    assertTrue(view.getBoolean("passwordLogin"), "password sign-in is on by default");
    patch(admin, u.id(), Map.of("passwordLogin", false));
    String detail =
        expectProblem(
                403,
                null,
                ApiClient.login(u.username(), u.password(), ApiClient.randomAddress()),
                "login with password sign-in off")
            .getString("detail");
    assertTrue(detail.contains("password sign-in is off"), detail);
    JsonPath audit =
        expect(
                200,
                admin.cookie().queryParam("action", "auth.login").get("/api/audit"),
                "GET /api/audit")
            .jsonPath();
    assertTrue(
        audit
            .getList("items.detail", String.class)
            .contains("password sign-in is off for this account"),
        "the refusal is audited");
    patch(admin, u.id(), Map.of("passwordLogin", true));
    expect(
        200, ApiClient.login(u.username(), u.password(), ApiClient.randomAddress()), "login again");
  }

  @Test
  void aBreakGlassAdminSignsInWithThePasswordWhateverTheFlags() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser(true);
    patch(admin, u.id(), Map.of("passwordLogin", false, "breakGlass", true));
    UserAccount account = UserAccount.findById(Long.parseLong(u.id()));
    assertTrue(auth.passwordAllowed(account), "break-glass admin");
    expect(200, ApiClient.login(u.username(), u.password(), ApiClient.randomAddress()), "login");
    account.admin = false;
    assertFalse(auth.passwordAllowed(account), "break-glass counts for admins only");
  }

  @Test
  void grantsMadeByAnAdminHaveNoSource() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    String group = admin.createGroup();
    JsonPath g =
        expect(
                201,
                admin
                    .cookie()
                    .body(Map.of("group", group, "role", "viewer"))
                    .post("/api/users/" + u.id() + "/grants"),
                "grant")
            .jsonPath();
    assertEquals(null, g.getString("source"));
  }
}
