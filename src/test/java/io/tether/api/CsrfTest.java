package io.tether.api;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cookie-authenticated state changes need the session's X-CSRF-Token; bearer requests do not. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class CsrfTest {

  private static ApiClient newUser() {
    return ApiClient.signIn(ApiClient.admin().createUser());
  }

  @Test
  void cookiePostWithoutCsrfTokenIs403AndChangesNothing() {
    ApiClient user = newUser();
    String name = ApiClient.unique("csrf");
    expectProblem(
        403,
        null,
        user.cookieWithoutCsrf().body(Map.of("name", name)).post("/api/tokens"),
        "cookie POST /api/tokens without CSRF token");
    String tokens = expect(200, user.cookie().get("/api/tokens"), "GET /api/tokens").asString();
    assertFalse(tokens.contains(name), "a refused request still created token " + name);
  }

  @Test
  void cookiePostWithAnotherSessionsCsrfTokenIs403() {
    ApiClient user = newUser();
    ApiClient other = newUser();
    expectProblem(
        403,
        null,
        user.cookieWithoutCsrf()
            .header(ApiClient.CSRF_HEADER, other.csrfToken())
            .body(Map.of("name", ApiClient.unique("csrf")))
            .post("/api/tokens"),
        "cookie POST with another session's CSRF token");
  }

  @Test
  void cookiePostWithCsrfTokenSucceeds() {
    ApiClient user = newUser();
    expect(
        201,
        user.cookie().body(Map.of("name", ApiClient.unique("csrf"))).post("/api/tokens"),
        "cookie POST /api/tokens with CSRF token");
  }

  @Test
  void cookieDeleteWithoutCsrfTokenIs403AndTheTokenKeepsWorking() {
    ApiClient user = newUser();
    ApiClient.NewToken token = user.createToken(ApiClient.unique("csrf"), null);
    expectProblem(
        403,
        null,
        user.cookieWithoutCsrf().delete("/api/tokens/" + token.id()),
        "cookie DELETE /api/tokens/{id} without CSRF token");
    expect(
        200,
        ApiClient.bearer(token.token(), user.address()).get("/api/me"),
        "the token after a refused DELETE");
  }

  @Test
  void cookieLogoutWithoutCsrfTokenIs403AndTheSessionStays() {
    ApiClient user = newUser();
    expectProblem(
        403, null, user.cookieWithoutCsrf().post("/api/auth/logout"), "logout without CSRF token");
    expect(200, user.cookie().get("/api/me"), "GET /api/me after a refused logout");
  }

  @Test
  void cookieGetNeedsNoCsrfToken() {
    ApiClient user = newUser();
    expect(200, user.cookieWithoutCsrf().get("/api/me"), "cookie GET /api/me without CSRF token");
  }

  @Test
  void bearerPostNeedsNoCsrfToken() {
    ApiClient user = newUser();
    ApiClient.NewToken token = user.createToken(ApiClient.unique("bearer"), null);
    expect(
        201,
        ApiClient.bearer(token.token(), user.address())
            .body(Map.of("name", ApiClient.unique("csrf")))
            .post("/api/tokens"),
        "bearer POST /api/tokens without CSRF token");
  }

  @Test
  void meRepeatsTheLoginCsrfTokenForCookiesAndNoneForTokens() {
    ApiClient user = newUser();
    assertEquals(user.csrfToken(), user.me().getString("csrfToken"), "GET /api/me csrfToken");
    assertNull(
        expect(200, user.bearer().get("/api/me"), "bearer GET /api/me")
            .jsonPath()
            .getString("csrfToken"),
        "GET /api/me with a token must answer csrfToken null");
  }
}
