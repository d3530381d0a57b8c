package io.tether.user;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tether.access.SecretToken;
import io.tether.access.TokenHasher;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.SecondFactor;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command line's browser sign-in: a signed-in browser allows it for a PKCE challenge, the CLI
 * trades the single-use code and its verifier for an API token.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class CliLoginTest {
  @Inject AgroalDataSource dataSource;
  @Inject TokenHasher hasher;

  private ApiClient admin;

  @BeforeEach
  void signInAdmin() {
    admin = ApiClient.admin();
  }

  /** A CLI's PKCE pair: the verifier it keeps, the S256 challenge the browser sends. */
  private record Pkce(String verifier, String challenge) {
    static Pkce make() {
      String verifier = SecretToken.random(32);
      return new Pkce(verifier, io.tether.access.Pkce.challenge(verifier));
    }
  }

  private static String authorize(ApiClient browser, Pkce pkce, String name, Integer ttlDays) {
    Map<String, Object> body = new HashMap<>(Map.of("challenge", pkce.challenge(), "name", name));
    if (ttlDays != null) {
      body.put("ttlDays", ttlDays);
    }
    return expect(200, browser.cookie().body(body).post("/api/auth/cli/authorize"), "authorize")
        .jsonPath()
        .getString("code");
  }

  private static Response exchange(String code, String verifier) {
    return ApiClient.anonymousFrom(ApiClient.randomAddress())
        .body(Map.of("code", code, "verifier", verifier))
        .post("/api/auth/cli/exchange");
  }

  @Test
  void theCodeGivesOneTokenOfTheUserAndIsSpentByItsFirstExchange() {
    ApiClient user = ApiClient.signIn(admin.createUser());
    Pkce pkce = Pkce.make();
    String code = authorize(user, pkce, "cli@build-7", 10);

    JsonPath made = expect(201, exchange(code, pkce.verifier()), "exchange").jsonPath();
    assertEquals(user.username(), made.getString("username"));
    assertEquals("cli@build-7", made.getString("name"));
    assertFalse(made.getBoolean("mfa"), "a session without a second factor makes no mfa token");
    Instant expires = Instant.parse(made.getString("expiresAt"));
    assertTrue(
        Duration.between(Instant.now().plus(Duration.ofDays(10)), expires).abs().toMinutes() < 5,
        "the token lives the days allowed: " + expires);
    JsonPath me =
        expect(
                200,
                ApiClient.bearer(made.getString("token"), user.address()).get("/api/me"),
                "the token signs in")
            .jsonPath();
    assertEquals(user.username(), me.getString("username"));

    JsonPath again = expectProblem(400, "code", exchange(code, pkce.verifier()), "a second use");
    assertTrue(again.getString("detail").contains("already used"), again.prettify());
    assertTrue(
        admin.audit(Map.of("action", "auth.cli-login", "subject", user.username())).size() >= 3,
        "authorize, exchange and the refused reuse are audited auth.cli-login");
  }

  @Test
  void aWrongVerifierIsRefusedAndSpendsTheCode() {
    ApiClient user = ApiClient.signIn(admin.createUser());
    Pkce pkce = Pkce.make();
    String code = authorize(user, pkce, "cli@laptop", null);
    expectProblem(400, "verifier", exchange(code, Pkce.make().verifier()), "a wrong verifier");
    expectProblem(400, "code", exchange(code, pkce.verifier()), "the right one after a wrong one");
  }

  @Test
  void anExpiredCodeIsRefused() {
    ApiClient user = ApiClient.signIn(admin.createUser());
    Pkce pkce = Pkce.make();
    String code = authorize(user, pkce, "cli@laptop", null);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                CliLogin.update(
                    "expiresAt = ?1 where codeHash = ?2",
                    Instant.now().minusSeconds(1),
                    hasher.hash(code)));
    JsonPath j = expectProblem(400, "code", exchange(code, pkce.verifier()), "an expired code");
    assertTrue(j.getString("detail").contains("expired"), j.prettify());
  }

  @Test
  void theCodeIsStoredHashedOnlyAndLivesAMinute() throws Exception {
    ApiClient user = ApiClient.signIn(admin.createUser());
    Pkce pkce = Pkce.make();
    String code = authorize(user, pkce, "cli@laptop", null);
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select t::text, code_hash, expires_at - created_at <= interval '61 seconds'"
                    + " from cli_logins t where user_id = ?")) {
      s.setLong(1, Long.parseLong(user.userId()));
      try (ResultSet r = s.executeQuery()) {
        assertTrue(r.next(), "the allowed sign-in is stored");
        assertFalse(r.getString(1).contains(code), "the code in clear: " + r.getString(1));
        assertTrue(Arrays.equals(hasher.hash(code), r.getBytes(2)), "stored as its keyed hash");
        assertTrue(r.getBoolean(3), "a code lives 60 s");
      }
    }
  }

  @Test
  void theTokenVouchesForASecondFactorOnlyWhenTheSessionHadOne() {
    ApiClient.NewUser u = admin.createUser();
    SecondFactor.Enrolled factor = SecondFactor.enrol(ApiClient.signIn(u));
    ApiClient twoFactor = SecondFactor.signIn(u.username(), u.password(), factor.app());
    Pkce pkce = Pkce.make();
    JsonPath made =
        expect(201, exchange(authorize(twoFactor, pkce, "cli@a", null), pkce.verifier()), "mfa")
            .jsonPath();
    assertTrue(made.getBoolean("mfa"), "a session with a second factor makes an mfa token");
    JsonPath listed =
        expect(200, twoFactor.cookie().get("/api/tokens"), "GET /api/tokens").jsonPath();
    assertTrue(
        listed.getBoolean("items.find { it.name == 'cli@a' }.mfa"), "listed as mfa: " + listed);
  }

  @Test
  void onlyABrowserSessionAllowsAndItsEndRefusesTheExchange() {
    ApiClient user = ApiClient.signIn(admin.createUser());
    Pkce pkce = Pkce.make();
    expectProblem(
        403,
        null,
        user.bearer()
            .body(Map.of("challenge", pkce.challenge(), "name", "cli@x"))
            .post("/api/auth/cli/authorize"),
        "an API token allows nothing");
    expectProblem(
        400,
        "challenge",
        user.cookie()
            .body(Map.of("challenge", "plain", "name", "cli@x"))
            .post("/api/auth/cli/authorize"),
        "a challenge that is no S256");
    expectProblem(
        400,
        "ttlDays",
        user.cookie()
            .body(Map.of("challenge", pkce.challenge(), "name", "cli@x", "ttlDays", 400))
            .post("/api/auth/cli/authorize"),
        "a lifetime over 365 days");
    expectProblem(
        403,
        null,
        user.cookieWithoutCsrf()
            .body(Map.of("challenge", pkce.challenge(), "name", "cli@x"))
            .post("/api/auth/cli/authorize"),
        "a cookie without the CSRF token");

    String code = authorize(user, pkce, "cli@x", null);
    expect(204, user.cookie().post("/api/auth/logout"), "sign out");
    JsonPath j = expectProblem(400, "code", exchange(code, pkce.verifier()), "after sign-out");
    assertTrue(j.getString("detail").contains("session"), j.prettify());
    expectProblem(400, "code", exchange("no-such-code", pkce.verifier()), "an unknown code");
  }
}
