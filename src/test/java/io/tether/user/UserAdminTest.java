package io.tether.user;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tether.access.Principal;
import io.tether.api.ApiException;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Admins create, list, change, reset and delete users; the rules on names and passwords. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class UserAdminTest {
  @Inject UserService users;

  private static Response createUser(ApiClient admin, String username, String password) {
    return admin
        .cookie()
        .body(Map.of("username", username, "password", password, "admin", false))
        .post("/api/users");
  }

  /** Every username in GET /api/users, following the cursors. */
  private static Set<String> allUsernames(ApiClient admin) {
    Set<String> names = new HashSet<>();
    String cursor = null;
    for (int page = 0; page < 1000; page++) {
      var spec = admin.cookie().queryParam("limit", 200);
      if (cursor != null) {
        spec.queryParam("cursor", cursor);
      }
      JsonPath j = expect(200, spec.get("/api/users"), "GET /api/users").jsonPath();
      names.addAll(j.getList("items.username", String.class));
      cursor = j.getString("next");
      if (cursor == null) {
        return names;
      }
    }
    throw new AssertionError("GET /api/users never ended its pages");
  }

  @Test
  void createdUserIsAnsweredReadableListedAndCanSignIn() {
    ApiClient admin = ApiClient.admin();
    String name = ApiClient.unique("user");
    String password = "pw-" + ApiClient.unique("secret");
    Response created = createUser(admin, name, password);
    JsonPath j = expect(201, created, "POST /api/users").jsonPath();
    assertEquals(name, j.getString("username"));
    assertFalse(j.getBoolean("admin"), "created admin=false, answered admin=true");
    assertFalse(j.getBoolean("disabled"), "a new user is disabled");
    assertFalse(j.getString("createdAt") == null, "no createdAt: " + created.asString());
    assertFalse(created.asString().contains(password), "the answer shows the password");
    assertFalse(
        created.asString().toLowerCase().contains("hash"), "the answer shows a password hash");

    JsonPath read =
        expect(200, admin.cookie().get("/api/users/" + j.getString("id")), "GET /api/users/{id}")
            .jsonPath();
    assertEquals(name, read.getString("username"));
    assertTrue(allUsernames(admin).contains(name), "GET /api/users does not list " + name);
    ApiClient.signIn(name, password);
  }

  @Test
  void duplicateUsernameIs409() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    expectProblem(409, null, createUser(admin, u.username(), "another-password"), "duplicate user");
  }

  @Test
  void adminUsernameIsTaken() {
    ApiClient admin = ApiClient.admin();
    expectProblem(409, null, createUser(admin, "admin", "another-password"), "second 'admin'");
  }

  @Test
  void shortPasswordIs400NamingPassword() {
    expectProblem(
        400,
        "password",
        createUser(ApiClient.admin(), ApiClient.unique("user"), "7chars!"),
        "POST /api/users with a 7-character password");
  }

  @Test
  void passwordOver72BytesIs400NamingPassword() {
    expectProblem(
        400,
        "password",
        createUser(ApiClient.admin(), ApiClient.unique("user"), "é".repeat(37)),
        "POST /api/users with a 74-byte password");
  }

  @Test
  void usernameWithASpaceIs400NamingUsername() {
    expectProblem(
        400,
        "username",
        createUser(ApiClient.admin(), "has space " + ApiClient.unique("u"), "long-enough-pw"),
        "POST /api/users with a space in the username");
  }

  @Test
  void usernameOver64CharactersIs400NamingUsername() {
    expectProblem(
        400,
        "username",
        createUser(ApiClient.admin(), "u".repeat(65), "long-enough-pw"),
        "POST /api/users with a 65-character username");
  }

  @Test
  void unknownUserIs404() {
    expectProblem(
        404, null, ApiClient.admin().cookie().get("/api/users/999999999"), "GET unknown user");
  }

  @Test
  void disabledUserCannotSignInUntilEnabledAgain() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    JsonPath patched =
        expect(
                200,
                admin.cookie().body(Map.of("disabled", true)).patch("/api/users/" + u.id()),
                "PATCH disabled=true")
            .jsonPath();
    assertTrue(patched.getBoolean("disabled"), "PATCH answered disabled=false");
    Response refused = ApiClient.login(u.username(), u.password(), ApiClient.randomAddress());
    assertNotEquals(200, refused.statusCode(), "a disabled user signed in");
    expect(
        200,
        admin.cookie().body(Map.of("disabled", false)).patch("/api/users/" + u.id()),
        "PATCH disabled=false");
    ApiClient.signIn(u);
  }

  @Test
  void promotedUserIsAdmin() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    JsonPath patched =
        expect(
                200,
                admin.cookie().body(Map.of("admin", true)).patch("/api/users/" + u.id()),
                "PATCH admin=true")
            .jsonPath();
    assertTrue(patched.getBoolean("admin"), "PATCH answered admin=false");
    expect(200, ApiClient.signIn(u).cookie().get("/api/users"), "GET /api/users as promoted user");
  }

  @Test
  void passwordResetByAdminTakesEffectAndEndsTheUsersSessions() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient session = ApiClient.signIn(u);
    String next = "reset-" + u.password();
    expect(
        204,
        admin.cookie().body(Map.of("password", next)).post("/api/users/" + u.id() + "/password"),
        "POST /api/users/{id}/password");
    expectProblem(401, null, session.cookie().get("/api/me"), "the user's session after a reset");
    expectProblem(
        401,
        null,
        ApiClient.login(u.username(), u.password(), ApiClient.randomAddress()),
        "login with the old password");
    ApiClient.signIn(u.username(), next);
  }

  @Test
  void passwordResetToAShortPasswordIs400NamingPassword() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    expectProblem(
        400,
        "password",
        admin.cookie().body(Map.of("password", "short")).post("/api/users/" + u.id() + "/password"),
        "reset to a 5-character password");
  }

  @Test
  void deletedUserIsGoneAndSignedOut() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient session = ApiClient.signIn(u);
    expect(204, admin.cookie().delete("/api/users/" + u.id()), "DELETE /api/users/{id}");
    expectProblem(404, null, admin.cookie().get("/api/users/" + u.id()), "GET a deleted user");
    expectProblem(401, null, session.cookie().get("/api/me"), "a deleted user's session");
    expectProblem(
        401,
        null,
        ApiClient.login(u.username(), u.password(), ApiClient.randomAddress()),
        "login of a deleted user");
    List<String> names = List.copyOf(allUsernames(admin));
    assertFalse(names.contains(u.username()), "GET /api/users still lists a deleted user");
  }

  @Test
  void usernameWithAControlCharacterIsRefusedByTheServiceToo() {
    Principal admin = new Principal(1, "admin", true, Principal.Via.WEB_SESSION, null, null);
    UserApi.NewUser body = new UserApi.NewUser("bob\n", "long-enough-pw", false);
    ApiException refused =
        assertThrows(ApiException.class, () -> users.create(admin, "127.0.0.1", body));
    assertEquals(400, refused.status(), "status");
    assertEquals("username", refused.field(), "field");
  }
}
