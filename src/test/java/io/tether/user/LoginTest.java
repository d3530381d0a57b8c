package io.tether.user;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signing in and out of browser sessions, and changing one's own password. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class LoginTest {

  private static ApiClient.NewUser newUser() {
    return ApiClient.admin().createUser();
  }

  private static void assertSignedOut(String cookie, String csrf, String what) {
    expectProblem(
        401,
        null,
        ApiClient.withCookie(cookie, csrf, ApiClient.randomAddress()).get("/api/me"),
        what);
  }

  @Test
  void loginAnswersTheUserACsrfTokenAndAFutureExpiry() {
    ApiClient.NewUser u = newUser();
    ApiClient client = ApiClient.signIn(u);
    assertEquals(u.username(), client.loginAnswer().getString("username"));
    assertFalse(client.loginAnswer().getBoolean("admin"), "a new user signed in as admin");
    assertFalse(client.csrfToken() == null || client.csrfToken().isBlank(), "no csrfToken");
    Instant expires = Instant.parse(client.loginAnswer().getString("expiresAt"));
    assertTrue(expires.isAfter(Instant.now()), "expiresAt " + expires + " is not in the future");
  }

  @Test
  void adminSignsInAsAdmin() {
    assertTrue(ApiClient.admin().me().getBoolean("admin"), "GET /api/me of admin: admin false");
  }

  @Test
  void everyLoginIssuesANewSessionId() {
    ApiClient.NewUser u = newUser();
    ApiClient first = ApiClient.signIn(u);
    ApiClient second = ApiClient.signIn(u);
    assertNotEquals(first.sessionCookie(), second.sessionCookie(), "two logins, one session id");
    Response again =
        first
            .cookie()
            .body(Map.of("username", u.username(), "password", u.password()))
            .post("/api/auth/login");
    expect(200, again, "login while already signed in");
    assertNotEquals(
        first.sessionCookie(),
        again.getCookie(ApiClient.COOKIE),
        "a login that presented a session cookie kept its id (session fixation)");
  }

  @Test
  void sessionCookieIsHttpOnlyAndSameSiteStrict() {
    ApiClient.NewUser u = newUser();
    Response r = ApiClient.login(u.username(), u.password(), ApiClient.randomAddress());
    expect(200, r, "login");
    List<String> setCookies = r.getHeaders().getValues("Set-Cookie");
    String cookie =
        setCookies.stream()
            .filter(c -> c.startsWith(ApiClient.COOKIE + "="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + ApiClient.COOKIE + " in " + setCookies));
    String lower = cookie.toLowerCase(Locale.ROOT).replace(" ", "");
    assertTrue(lower.contains(";httponly"), "session cookie is not HttpOnly: " + cookie);
    assertTrue(
        lower.contains(";samesite=strict"), "session cookie is not SameSite=Strict: " + cookie);
  }

  @Test
  void behindATrustedProxySayingHttpsTheCookieIsHostPrefixedAndSecure() {
    // tests connect from 127.0.0.1, a trusted proxy here; TETHER_PUBLIC_URL is not set
    ApiClient.NewUser u = newUser();
    Response r =
        ApiClient.anonymousFrom(ApiClient.randomAddress())
            .header("X-Forwarded-Proto", "https")
            .body(Map.of("username", u.username(), "password", u.password()))
            .post("/api/auth/login");
    expect(200, r, "login through a proxy that took https");
    String cookie =
        r.getHeaders().getValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("__Host-" + ApiClient.COOKIE + "="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no __Host- cookie: " + r.getHeaders()));
    assertTrue(cookie.contains("Secure"), cookie);
    assertTrue(
        r.getHeader("Strict-Transport-Security") != null, "HSTS over https: " + r.getHeaders());
    String value = r.getCookie("__Host-" + ApiClient.COOKIE);
    expect(
        200,
        ApiClient.anonymous()
            .header("X-Forwarded-Proto", "https")
            .cookie("__Host-" + ApiClient.COOKIE, value)
            .get("/api/me"),
        "the __Host- cookie signs in over https");
    expect(
        401,
        ApiClient.anonymous().cookie("__Host-" + ApiClient.COOKIE, value).get("/api/me"),
        "over plain http the portal reads the plain cookie only");
  }

  @Test
  void wrongPasswordIs401WithoutASession() {
    ApiClient.NewUser u = newUser();
    Response r = ApiClient.login(u.username(), "wrong-" + u.password(), ApiClient.randomAddress());
    expectProblem(401, null, r, "login with a wrong password");
    String cookie = r.getCookie(ApiClient.COOKIE);
    assertTrue(cookie == null || cookie.isEmpty(), "a failed login set a session cookie");
  }

  @Test
  void unknownUserIs401LikeAWrongPassword() {
    expectProblem(
        401,
        null,
        ApiClient.login(ApiClient.unique("nobody"), "some-password", ApiClient.randomAddress()),
        "login of an unknown user");
  }

  @Test
  void logoutRevokesThatSessionOnly() {
    ApiClient.NewUser u = newUser();
    ApiClient leaving = ApiClient.signIn(u);
    ApiClient staying = ApiClient.signIn(u);
    expect(204, leaving.cookie().post("/api/auth/logout"), "logout");
    assertSignedOut(leaving.sessionCookie(), leaving.csrfToken(), "the session after logout");
    expect(200, staying.cookie().get("/api/me"), "the user's other session after a logout");
  }

  @Test
  void logoutEverywhereRevokesEverySessionOfTheUser() {
    ApiClient.NewUser u = newUser();
    ApiClient one = ApiClient.signIn(u);
    ApiClient two = ApiClient.signIn(u);
    ApiClient bystander = ApiClient.signIn(newUser());
    expect(204, one.cookie().post("/api/auth/logout-everywhere"), "logout-everywhere");
    assertSignedOut(one.sessionCookie(), one.csrfToken(), "the calling session");
    assertSignedOut(two.sessionCookie(), two.csrfToken(), "the user's other session");
    expect(200, bystander.cookie().get("/api/me"), "another user's session");
  }

  @Test
  void changingOwnPasswordWithAWrongCurrentPasswordIsRefused() {
    ApiClient.NewUser u = newUser();
    ApiClient client = ApiClient.signIn(u);
    Response r =
        client
            .cookie()
            .body(
                Map.of("currentPassword", "wrong-" + u.password(), "newPassword", "new-pw-123456"))
            .post("/api/me/password");
    assertTrue(
        r.statusCode() == 400 || r.statusCode() == 403,
        "a wrong currentPassword answered " + r.statusCode() + ": " + r.asString());
    expectProblem(r.statusCode(), null, r, "password change with a wrong currentPassword");
    ApiClient.signIn(u); // the old password still works
  }

  @Test
  void changingOwnPasswordTakesEffectAndEndsOtherSessions() {
    ApiClient.NewUser u = newUser();
    ApiClient client = ApiClient.signIn(u);
    ApiClient other = ApiClient.signIn(u);
    String newPassword = "new-" + u.password();
    expect(
        204,
        client
            .cookie()
            .body(Map.of("currentPassword", u.password(), "newPassword", newPassword))
            .post("/api/me/password"),
        "POST /api/me/password");
    expect(200, client.cookie().get("/api/me"), "the session that changed the password");
    assertSignedOut(other.sessionCookie(), other.csrfToken(), "another session after the change");
    expectProblem(
        401,
        null,
        ApiClient.login(u.username(), u.password(), ApiClient.randomAddress()),
        "login with the old password");
    ApiClient.signIn(u.username(), newPassword);
  }

  @Test
  void tooShortNewPasswordIs400NamingNewPassword() {
    ApiClient.NewUser u = newUser();
    ApiClient client = ApiClient.signIn(u);
    expectProblem(
        400,
        "newPassword",
        client
            .cookie()
            .body(Map.of("currentPassword", u.password(), "newPassword", "short"))
            .post("/api/me/password"),
        "password change to a 5-character password");
    ApiClient.signIn(u); // unchanged
  }

  @Test
  void usernameWithAControlCharacterIsRefusedAtLoginAndNeverAudited() {
    // ends in a newline: once slipped past the CSV export's formula check
    String forged = "=HYPERLINK(\"https://evil.example\")\n";
    expectProblem(
        400,
        "username",
        ApiClient.login(forged, "some-password", ApiClient.randomAddress()),
        "login with a newline in the username");
    assertTrue(
        ApiClient.admin().audit(Map.of("actor", forged)).isEmpty(),
        "a refused username reached the audit log");
  }

  @Test
  void aDisabledAccountAnswersLikeAWrongPasswordWhetherOrNotThePasswordIsRight() {
    ApiClient admin = ApiClient.admin();
    ApiClient.NewUser u = admin.createUser();
    expect(
        200,
        admin.cookie().body(Map.of("disabled", true)).patch("/api/users/" + u.id()),
        "PATCH disabled=true");
    Response rightPassword = ApiClient.login(u.username(), u.password(), ApiClient.randomAddress());
    Response wrongPassword =
        ApiClient.login(u.username(), u.password() + "-wrong", ApiClient.randomAddress());
    assertEquals(
        wrongPassword.statusCode() + " " + wrongPassword.jsonPath().getString("detail"),
        rightPassword.statusCode() + " " + rightPassword.jsonPath().getString("detail"),
        "a disabled account's right password is told apart from a wrong one");
    assertEquals(401, rightPassword.statusCode(), rightPassword.body().asString());
    List<Map<String, Object>> attempts =
        admin.audit(Map.of("actor", u.username(), "action", "auth.login"));
    assertEquals(2, attempts.size(), "both attempts audited: " + attempts);
  }
}
