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
import io.restassured.response.Response;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API tokens: shown once, listed without secrets, act as their user, stop at revoke/expiry. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ApiTokenTest {

  private static ApiClient newUser() {
    return ApiClient.signIn(ApiClient.admin().createUser());
  }

  private static Response me(ApiClient.NewToken token) {
    return ApiClient.bearer(token.token(), ApiClient.randomAddress()).get("/api/me");
  }

  @Test
  void createShowsATatTokenOnceAndTheListHasNoSecrets() {
    ApiClient user = newUser();
    String name = ApiClient.unique("tok");
    Response created = user.cookie().body(Map.of("name", name)).post("/api/tokens");
    JsonPath j = expect(201, created, "POST /api/tokens").jsonPath();
    String token = j.getString("token");
    assertTrue(
        token != null && token.startsWith("tat_"), "token does not start with tat_: " + token);
    assertEquals(name, j.getString("name"));
    assertFalse(j.getString("createdAt") == null, "no createdAt: " + created.asString());

    Response list = expect(200, user.cookie().get("/api/tokens"), "GET /api/tokens");
    List<Map<String, Object>> items = list.jsonPath().getList("items");
    assertTrue(
        items.stream().anyMatch(t -> name.equals(t.get("name"))),
        "GET /api/tokens does not list " + name + ": " + list.asString());
    // tat_LOOKUP_SECRET: the secret is base64url and may itself contain '_'
    String secret = token.split("_", 3)[2];
    assertFalse(
        list.asString().contains(secret), "GET /api/tokens shows a secret: " + list.asString());
    assertTrue(
        items.stream().noneMatch(t -> t.get("token") != null),
        "GET /api/tokens has a 'token' property: " + list.asString());
  }

  @Test
  void tokenActsAsItsUser() {
    ApiClient user = newUser();
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    JsonPath me = expect(200, me(token), "GET /api/me with the token").jsonPath();
    assertEquals(user.username(), me.getString("username"));
  }

  @Test
  void tokenCarriesOnlyTheRightsOfItsUser() {
    ApiClient user = newUser();
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    expectProblem(
        403,
        null,
        ApiClient.bearer(token.token(), user.address()).get("/api/users"),
        "GET /api/users with a non-admin's token");
  }

  @Test
  void revokedTokenIsRefusedImmediately() {
    ApiClient user = newUser();
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    expect(200, me(token), "the token before revoking");
    expect(204, user.cookie().delete("/api/tokens/" + token.id()), "DELETE /api/tokens/{id}");
    expectProblem(401, null, me(token), "the token right after revoking");
    String list = expect(200, user.cookie().get("/api/tokens"), "GET /api/tokens").asString();
    assertFalse(list.contains(token.name()), "a revoked token is still listed: " + list);
  }

  @Test
  void anotherUsersTokenCannotBeRevoked() {
    ApiClient owner = newUser();
    ApiClient other = newUser();
    ApiClient.NewToken token = owner.createToken(ApiClient.unique("tok"), null);
    Response r = other.cookie().delete("/api/tokens/" + token.id());
    assertTrue(
        r.statusCode() == 404 || r.statusCode() == 403,
        "revoking someone else's token answered " + r.statusCode() + ": " + r.asString());
    expect(200, me(token), "the owner's token after another user tried to revoke it");
  }

  @Test
  void expiredTokenIsRefused() {
    ApiClient user = newUser();
    ApiClient.NewToken token =
        user.createToken(ApiClient.unique("tok"), Instant.now().plusSeconds(3));
    expect(200, me(token), "the token before it expires");
    ApiClient.eventually(
        "the token to be refused after expiresAt",
        Duration.ofSeconds(10),
        () -> me(token).statusCode() == 401);
  }

  @Test
  void expiryInThePastIs400NamingExpiresAt() {
    ApiClient user = newUser();
    expectProblem(
        400,
        "expiresAt",
        user.cookie()
            .body(Map.of("name", ApiClient.unique("tok"), "expiresAt", "2020-01-01T00:00:00Z"))
            .post("/api/tokens"),
        "POST /api/tokens expiring in 2020");
  }

  @Test
  void missingNameIs400NamingName() {
    ApiClient user = newUser();
    expectProblem(
        400, "name", user.cookie().body(Map.of()).post("/api/tokens"), "POST /api/tokens {}");
  }

  @Test
  void disablingAUserEndsTheirTokensAndSessionsAtOnce() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient user = ApiClient.signIn(u);
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    expect(
        200,
        admin.cookie().body(Map.of("disabled", true)).patch("/api/users/" + u.id()),
        "PATCH disabled=true");
    expectProblem(401, null, me(token), "a disabled user's token");
    expectProblem(401, null, user.cookie().get("/api/me"), "a disabled user's session");
  }

  /** The token revocations audited for {@code username}, newest first. */
  private static List<Map<String, Object>> tokenRevocations(String username) {
    return ApiClient.admin().audit(Map.of("action", "token.revoke")).stream()
        .filter(e -> username.equals(e.get("subject")))
        .toList();
  }

  @Test
  void anAdminPasswordResetRevokesEveryTokenOfTheUserForGoodAndAuditsWhy() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient.NewToken token = ApiClient.signIn(u).createToken(ApiClient.unique("tok"), null);
    expect(200, me(token), "the token before the reset");
    expect(
        204,
        admin
            .cookie()
            .body(Map.of("password", "a-new-password-123"))
            .post("/api/users/" + u.id() + "/password"),
        "POST password reset");
    expectProblem(401, null, me(token), "the token after an admin reset the password");
    JsonPath left = admin.cookie().get("/api/users/" + u.id() + "/tokens").jsonPath();
    assertEquals(List.of(), left.getList("items"), "the user's live tokens after the reset");
    assertTrue(
        tokenRevocations(u.username()).stream()
            .anyMatch(e -> String.valueOf(e.get("detail")).contains("password reset")),
        "a token.revoke audit entry naming the password reset: " + tokenRevocations(u.username()));
  }

  @Test
  void reEnablingADisabledUserDoesNotReviveTheirTokens() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient.NewToken token = ApiClient.signIn(u).createToken(ApiClient.unique("tok"), null);
    String path = "/api/users/" + u.id();
    expect(200, admin.cookie().body(Map.of("disabled", true)).patch(path), "disable");
    expect(200, admin.cookie().body(Map.of("disabled", false)).patch(path), "enable again");
    expectProblem(401, null, me(token), "a token of a user disabled and enabled again");
    assertTrue(
        tokenRevocations(u.username()).stream()
            .anyMatch(e -> String.valueOf(e.get("detail")).contains("user disabled")),
        "a token.revoke audit entry naming the disabling");
  }

  @Test
  void changingOwnPasswordRevokesOwnTokensByDefault() {
    ApiClient.NewUser u = ApiClient.admin().createUser();
    ApiClient user = ApiClient.signIn(u);
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    expect(
        204,
        user.cookie()
            .body(Map.of("currentPassword", u.password(), "newPassword", "another-password-42"))
            .post("/api/me/password"),
        "POST /api/me/password");
    expectProblem(401, null, me(token), "a token after its owner changed the password");
    expect(200, user.cookie().get("/api/me"), "the session that changed the password");
  }

  @Test
  void changingOwnPasswordKeepsTokensWhenRevokeTokensIsFalse() {
    ApiClient.NewUser u = ApiClient.admin().createUser();
    ApiClient user = ApiClient.signIn(u);
    ApiClient.NewToken token = user.createToken(ApiClient.unique("tok"), null);
    expect(
        204,
        user.cookie()
            .body(
                Map.of(
                    "currentPassword",
                    u.password(),
                    "newPassword",
                    "another-password-42",
                    "revokeTokens",
                    false))
            .post("/api/me/password"),
        "POST /api/me/password revokeTokens=false");
    expect(200, me(token), "a token kept on purpose");
  }

  @Test
  void anAdminListsAndRevokesAnotherUsersToken() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient.NewToken token = ApiClient.signIn(u).createToken(ApiClient.unique("tok"), null);
    JsonPath listed = admin.cookie().get("/api/users/" + u.id() + "/tokens").jsonPath();
    assertEquals(List.of(token.name()), listed.getList("items.name"), "the user's tokens");
    assertFalse(listed.prettify().contains(token.token()), "the list holds no secret");
    expect(
        204,
        admin.cookie().delete("/api/users/" + u.id() + "/tokens/" + token.id()),
        "DELETE another user's token as admin");
    expectProblem(401, null, me(token), "the token an admin revoked");
    expectProblem(
        404,
        null,
        admin.cookie().delete("/api/users/" + u.id() + "/tokens/" + token.id()),
        "revoking it twice");
  }

  @Test
  void aNonAdminCannotSeeOrRevokeAnotherUsersTokens() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    ApiClient.NewToken token = ApiClient.signIn(u).createToken(ApiClient.unique("tok"), null);
    ApiClient other = newUser();
    expectProblem(
        403, null, other.cookie().get("/api/users/" + u.id() + "/tokens"), "list as non-admin");
    expectProblem(
        403,
        null,
        other.cookie().delete("/api/users/" + u.id() + "/tokens/" + token.id()),
        "revoke as non-admin");
    expect(200, me(token), "the token is untouched");
  }

  @Test
  void aTokenCannotCreateATokenThatOutlivesIt() {
    ApiClient user = newUser();
    Instant end = Instant.now().plus(Duration.ofHours(1));
    ApiClient.NewToken parent = user.createToken(ApiClient.unique("tok"), end);
    expectProblem(
        400,
        "expiresAt",
        ApiClient.bearer(parent.token(), ApiClient.randomAddress())
            .body(
                Map.of(
                    "name", ApiClient.unique("tok"), "expiresAt", end.plusSeconds(60).toString()))
            .post("/api/tokens"),
        "a token creating a token that expires after it");
    JsonPath child =
        expect(
                201,
                ApiClient.bearer(parent.token(), ApiClient.randomAddress())
                    .body(Map.of("name", ApiClient.unique("tok")))
                    .post("/api/tokens"),
                "a token creating a token without expiresAt")
            .jsonPath();
    assertEquals(
        end.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        Instant.parse(child.getString("expiresAt"))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        "the child inherits the parent's expiry");
  }
}
