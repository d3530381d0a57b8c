package io.tether.user;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tether.mfa.PendingLogin;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.SecondFactor;
import io.tether.testing.TotpApp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TOTP second factor: enrolment, the two-step sign-in, single-use codes, the per-account lock,
 * and the half-signed-in state that reaches nothing.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SecondFactorTest {
  private ApiClient admin;

  @BeforeEach
  void signInAdmin() {
    admin = ApiClient.admin();
  }

  private record Enrolled(ApiClient.NewUser user, SecondFactor.Enrolled factor) {}

  private Enrolled enrolledUser() {
    ApiClient.NewUser u = admin.createUser();
    return new Enrolled(u, SecondFactor.enrol(ApiClient.signIn(u)));
  }

  @Test
  void enrolmentIsInactiveUntilConfirmedThenSignInNeedsACode() {
    ApiClient.NewUser u = admin.createUser();
    ApiClient client = ApiClient.signIn(u);
    JsonPath e = expect(200, client.cookie().post("/api/me/totp"), "enrol").jsonPath();
    assertTrue(e.getString("secret").matches("[A-Z2-7]{32}"), "secret: " + e.getString("secret"));
    assertEquals(
        "otpauth://totp/Tether:"
            + u.username()
            + "?secret="
            + e.getString("secret")
            + "&issuer=Tether",
        e.getString("otpauthUri"));
    JsonPath pending = expect(200, client.cookie().get("/api/me/totp"), "status").jsonPath();
    assertTrue(pending.getBoolean("pending") && !pending.getBoolean("active"), pending.prettify());
    ApiClient.signIn(u); // not confirmed: the password alone still signs in

    TotpApp app = new TotpApp(e.getString("secret"));
    expectProblem(
        400,
        "code",
        client.cookie().body(Map.of("code", app.wrongCode())).post("/api/me/totp/confirm"),
        "confirm with a wrong code");
    List<String> codes =
        expect(
                200,
                client.cookie().body(Map.of("code", app.nextCode())).post("/api/me/totp/confirm"),
                "confirm")
            .jsonPath()
            .getList("recoveryCodes");
    assertEquals(10, codes.size(), "recovery codes: " + codes);
    assertEquals(10, codes.stream().distinct().count(), "recovery codes repeat: " + codes);
    JsonPath active = expect(200, client.cookie().get("/api/me/totp"), "status").jsonPath();
    assertTrue(active.getBoolean("active"), active.prettify());
    assertEquals(10, active.getInt("recoveryCodesLeft"));
    assertFalse(active.getBoolean("sessionMfa"), "this session signed in with a password alone");

    String address = ApiClient.randomAddress();
    Response first = ApiClient.login(u.username(), u.password(), address);
    JsonPath answer = expect(200, first, "password step").jsonPath();
    assertEquals("required", answer.getString("secondFactor"));
    assertEquals(List.of("totp", "recovery"), answer.getList("methods"));
    assertTrue(first.getHeaders().getValues("Set-Cookie").isEmpty(), "a cookie before the code");

    ApiClient signedIn =
        ApiClient.signedIn(
            u.username(),
            u.password(),
            address,
            SecondFactor.secondStep(
                answer.getString("pendingToken"), "code", app.nextCode(), address));
    assertNotNull(signedIn.csrfToken(), "the second step answers the CSRF token");
    assertEquals(u.username(), signedIn.me().getString("username"));
    assertTrue(
        expect(200, signedIn.cookie().get("/api/me/totp"), "status")
            .jsonPath()
            .getBoolean("sessionMfa"),
        "a session signed in with a code counts as two-factor");
    assertTrue(
        admin.audit(Map.of("action", "auth.login", "subject", u.username())).stream()
            .anyMatch(a -> "secondFactor: totp".equals(a.get("detail"))),
        "no auth.login audited with secondFactor: totp");
  }

  @Test
  void aCodeIsAcceptedOnceOnly() {
    Enrolled e = enrolledUser();
    SecondFactor.signIn(e.user().username(), e.user().password(), e.factor().app());
    String replayed = e.factor().app().lastCode();
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(e.user().username(), e.user().password(), address);
    expectProblem(
        401, null, SecondFactor.secondStep(pending, "code", replayed, address), "a replayed code");
  }

  @Test
  void aRecoveryCodeWorksOnceAndCountsDown() {
    Enrolled e = enrolledUser();
    String code = e.factor().recoveryCodes().get(3);
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(e.user().username(), e.user().password(), address);
    ApiClient client =
        ApiClient.signedIn(
            e.user().username(),
            e.user().password(),
            address,
            SecondFactor.secondStep(pending, "recoveryCode", code.toUpperCase(), address));
    assertEquals(
        9,
        expect(200, client.cookie().get("/api/me/totp"), "status")
            .jsonPath()
            .getInt("recoveryCodesLeft"));
    String again = SecondFactor.passwordStep(e.user().username(), e.user().password(), address);
    expectProblem(
        401,
        null,
        SecondFactor.secondStep(again, "recoveryCode", code, address),
        "a used recovery code");
    assertTrue(
        admin.audit(Map.of("action", "auth.login", "subject", e.user().username())).stream()
            .anyMatch(a -> "secondFactor: recovery".equals(a.get("detail"))),
        "no auth.login audited with secondFactor: recovery");
  }

  @Test
  void fiveWrongCodesLockTheAccountsSecondStepFromAnyAddress() {
    Enrolled e = enrolledUser();
    TotpApp app = e.factor().app();
    // the password steps first (bcrypt is slow): the six second steps then follow one another
    // well within the 3 s test lock
    List<String> addresses = new java.util.ArrayList<>();
    List<String> pendings = new java.util.ArrayList<>();
    for (int i = 0; i <= 5; i++) {
      addresses.add(ApiClient.randomAddress());
      // the password step's own rules stay: it answers as always, only the second step locks
      pendings.add(
          SecondFactor.passwordStep(e.user().username(), e.user().password(), addresses.get(i)));
    }
    for (int i = 0; i < 5; i++) {
      expectProblem(
          401,
          null,
          SecondFactor.secondStep(pendings.get(i), "code", app.wrongCode(), addresses.get(i)),
          "wrong code " + (i + 1) + " of 5 from " + addresses.get(i));
    }
    Response locked =
        SecondFactor.secondStep(pendings.get(5), "code", app.nextCode(), addresses.get(5));
    JsonPath problem = expectProblem(429, null, locked, "the right code after 5 wrong ones");
    assertTrue(problem.getString("detail").contains("locked"), problem.getString("detail"));
    assertNotNull(locked.getHeader("Retry-After"), "the 429 has no Retry-After");
    assertEquals(
        1,
        admin.audit(Map.of("action", "auth.mfa-locked", "subject", e.user().username())).size(),
        "auth.mfa-locked audit entries");
  }

  @Test
  void aPendingTokenCompletesOneSignInAndExpires() {
    Enrolled e = enrolledUser();
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(e.user().username(), e.user().password(), address);
    ApiClient.signedIn(
        e.user().username(),
        e.user().password(),
        address,
        SecondFactor.secondStep(
            pending, "recoveryCode", e.factor().recoveryCodes().get(0), address));
    expectProblem(
        401,
        null,
        SecondFactor.secondStep(
            pending, "recoveryCode", e.factor().recoveryCodes().get(1), address),
        "a used pending token");

    String stale = SecondFactor.passwordStep(e.user().username(), e.user().password(), address);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                PendingLogin.update(
                    "expiresAt = ?1 where userId = ?2 and usedAt is null",
                    Instant.now().minusSeconds(1),
                    Long.parseLong(e.user().id())));
    expectProblem(
        401,
        null,
        SecondFactor.secondStep(stale, "recoveryCode", e.factor().recoveryCodes().get(1), address),
        "an expired pending token");
  }

  @Test
  void halfSignedInReachesNothing() {
    Enrolled e = enrolledUser();
    ApiClient.NewDevice device = admin.createDevice(null);
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(e.user().username(), e.user().password(), address);
    List<RequestSpecification> asCredential =
        List.of(
            ApiClient.anonymousFrom(address).cookie(ApiClient.COOKIE, pending),
            ApiClient.bearer(pending, address));
    for (RequestSpecification spec : asCredential) {
      expectProblem(401, null, spec.get("/api/me"), "GET /api/me with the pending token");
    }
    expectProblem(
        401,
        null,
        ApiClient.anonymousFrom(address)
            .cookie(ApiClient.COOKIE, pending)
            .accept("text/event-stream")
            .get("/api/events"),
        "the event stream with the pending token");
    for (RequestSpecification spec :
        List.of(
            ApiClient.anonymousFrom(address).cookie(ApiClient.COOKIE, pending),
            ApiClient.bearer(pending, address))) {
      expectProblem(
          401,
          null,
          terminalUpgrade(spec, device.id()),
          "a terminal upgrade with the pending token");
    }
  }

  /** A WebSocket upgrade request to a device's terminal, from the portal's own origin. */
  static Response terminalUpgrade(RequestSpecification spec, String deviceId) {
    return spec.header("Upgrade", "websocket")
        .header("Connection", "Upgrade")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("Origin", "http://127.0.0.1:" + RestAssured.port)
        .queryParam("target", "console")
        .get("/api/devices/" + deviceId + "/terminal");
  }

  @Test
  void removingTheFactorNeedsThePasswordAndACode() {
    Enrolled e = enrolledUser();
    ApiClient client =
        SecondFactor.signIn(e.user().username(), e.user().password(), e.factor().app());
    expectProblem(
        400,
        "password",
        client
            .cookie()
            .body(Map.of("password", "not-the-password", "code", e.factor().app().wrongCode()))
            .delete("/api/me/totp"),
        "removal with a wrong password");
    expectProblem(
        400,
        "code",
        client
            .cookie()
            .body(Map.of("password", e.user().password(), "code", e.factor().app().wrongCode()))
            .delete("/api/me/totp"),
        "removal with a wrong code");
    expect(
        204,
        client
            .cookie()
            .body(
                Map.of(
                    "password", e.user().password(),
                    "recoveryCode", e.factor().recoveryCodes().get(0)))
            .delete("/api/me/totp"),
        "removal");
    ApiClient.signIn(e.user().username(), e.user().password());
  }

  @Test
  void anAdminResetsAUsersSecondFactor() {
    Enrolled e = enrolledUser();
    String id = e.user().id();
    assertTrue(
        expect(200, admin.cookie().get("/api/users/" + id), "GET user")
            .jsonPath()
            .getBoolean("secondFactor"));
    ApiClient other = ApiClient.signIn(admin.createUser());
    expectProblem(
        403, null, other.cookie().delete("/api/users/" + id + "/second-factor"), "reset by a user");
    expect(204, admin.cookie().delete("/api/users/" + id + "/second-factor"), "reset by admin");
    ApiClient.signIn(e.user().username(), e.user().password());
    assertFalse(
        expect(200, admin.cookie().get("/api/users/" + id), "GET user")
            .jsonPath()
            .getBoolean("secondFactor"));
    assertEquals(
        1,
        admin
            .audit(Map.of("action", "user.second-factor-reset", "subject", e.user().username()))
            .size(),
        "user.second-factor-reset audit entries");
  }
}
