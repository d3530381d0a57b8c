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
import io.tether.access.FreshSecondFactor;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.SecondFactor;
import io.tether.testing.SoftAuthenticator;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Security keys and passkeys through the REST API, with a software key answering as a browser:
 * registration, the key step of a sign-in, single-use challenges, refused answers counting toward
 * the per-account lock, rename, removal, the admin's reset, and shared recovery codes.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SecurityKeyTest {
  @Inject EntityManager em;

  private ApiClient admin;

  @BeforeEach
  void signInAdmin() {
    admin = ApiClient.admin();
  }

  /** What the browser reports as its origin for the portal the options name. */
  private static String origin(String rpId) {
    return "http://" + rpId + ":" + RestAssured.port;
  }

  /** Registers {@code key} under {@code name} for the signed-in client; the finish answer. */
  private static JsonPath register(ApiClient client, SoftAuthenticator key, String name) {
    JsonPath options =
        expect(200, client.cookie().post("/api/me/webauthn/registration"), "registration options")
            .jsonPath();
    String rpId = options.getString("rp.id");
    String credential = key.register(options.getString("challenge"), origin(rpId), rpId);
    return expect(
            201,
            client
                .cookie()
                .body(Map.of("name", name, "credential", new JsonBody(credential).node()))
                .post("/api/me/webauthn/registration/finish"),
            "registration finish")
        .jsonPath();
  }

  /** The sign-in options of a pending sign-in. */
  private static JsonPath keyOptions(String pendingToken, String address) {
    return expect(
            200,
            ApiClient.anonymousFrom(address)
                .body(Map.of("pendingToken", pendingToken))
                .post("/api/auth/login/second-factor/webauthn/options"),
            "sign-in options")
        .jsonPath();
  }

  private static Response keyStep(String pendingToken, String assertion, String address) {
    return ApiClient.anonymousFrom(address)
        .body(Map.of("pendingToken", pendingToken, "webauthn", new JsonBody(assertion).node()))
        .post("/api/auth/login/second-factor");
  }

  /** A user whose only factor is {@code key}, signed in with it from {@code address}. */
  private static ApiClient signedInWithOnlyKey(
      ApiClient.NewUser u, SoftAuthenticator key, String address) {
    register(ApiClient.signIn(u), key, "Only key");
    return ApiClient.signedIn(u.username(), u.password(), address, signInWithKey(u, key, address));
  }

  /** Password, then the key's answer to the pending sign-in's challenge. */
  private static Response signInWithKey(ApiClient.NewUser u, SoftAuthenticator key, String from) {
    String pending = SecondFactor.passwordStep(u.username(), u.password(), from);
    JsonPath options = keyOptions(pending, from);
    String rpId = options.getString("rpId");
    return keyStep(pending, key.sign(options.getString("challenge"), origin(rpId), rpId), from);
  }

  @Test
  void aRegisteredKeyIsAskedForAtSignInAndMakesTheSessionTwoFactor() {
    ApiClient.NewUser u = admin.createUser();
    ApiClient client = ApiClient.signIn(u);
    JsonPath options =
        expect(200, client.cookie().post("/api/me/webauthn/registration"), "options").jsonPath();
    assertEquals("127.0.0.1", options.getString("rp.id"), "rpId: the host the portal is at");
    assertEquals(u.username(), options.getString("user.name"));
    assertEquals("none", options.getString("attestation"));
    assertTrue(options.getList("pubKeyCredParams.alg").contains(-7), options.prettify());
    assertEquals("preferred", options.getString("authenticatorSelection.userVerification"));

    SoftAuthenticator key = new SoftAuthenticator();
    JsonPath registered = register(client, key, "Blue key");
    assertEquals("Blue key", registered.getString("key.name"));
    assertEquals(10, registered.getList("recoveryCodes").size(), "the first factor's codes");
    JsonPath list =
        expect(200, client.cookie().get("/api/me/webauthn/credentials"), "list").jsonPath();
    assertEquals(List.of("Blue key"), list.getList("name"));
    assertNotNull(list.getString("[0].createdAt"));

    String address = ApiClient.randomAddress();
    Response first = ApiClient.login(u.username(), u.password(), address);
    assertEquals(
        List.of("webauthn", "recovery"),
        expect(200, first, "password step").jsonPath().getList("methods"));
    String pending = first.jsonPath().getString("pendingToken");
    JsonPath signIn = keyOptions(pending, address);
    assertEquals(List.of(key.credentialId()), signIn.getList("allowCredentials.id"));
    String rpId = signIn.getString("rpId");
    ApiClient signedIn =
        ApiClient.signedIn(
            u.username(),
            u.password(),
            address,
            keyStep(pending, key.sign(signIn.getString("challenge"), origin(rpId), rpId), address));
    assertTrue(signedIn.me().getBoolean("mfa"), "a session signed in with a key is two-factor");
    assertNotNull(
        expect(200, signedIn.cookie().get("/api/me/webauthn/credentials"), "list")
            .jsonPath()
            .getString("[0].lastUsedAt"),
        "last used is set");
    assertTrue(
        admin.audit(Map.of("action", "auth.login", "subject", u.username())).stream()
            .anyMatch(a -> "secondFactor: webauthn".equals(a.get("detail"))),
        "no auth.login audited with secondFactor: webauthn");
    assertTrue(
        admin.audit(Map.of("action", "user.webauthn-register", "subject", u.username())).stream()
            .anyMatch(a -> String.valueOf(a.get("detail")).startsWith("key Blue key")),
        "the registration is audited");
  }

  @Test
  void aChallengeSignsOneSignInOnly() {
    ApiClient.NewUser u = admin.createUser();
    SoftAuthenticator key = new SoftAuthenticator();
    register(ApiClient.signIn(u), key, "k");
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(u.username(), u.password(), address);
    JsonPath options = keyOptions(pending, address);
    String rpId = options.getString("rpId");
    // a key that keeps no counter (always 0): only the challenge can tell a replay
    String answer = key.counter(0).sign(options.getString("challenge"), origin(rpId), rpId);
    ApiClient.signedIn(u.username(), u.password(), address, keyStep(pending, answer, address));

    // the same answer (its counter would pass) for another pending sign-in: not its challenge
    String other = SecondFactor.passwordStep(u.username(), u.password(), address);
    JsonPath otherOptions = keyOptions(other, address);
    JsonPath refused = expectProblem(401, null, keyStep(other, answer, address), "a replay");
    assertEquals("security key not recognised", refused.getString("detail"));
    assertTrue(
        admin.audit(Map.of("action", "auth.second-factor", "subject", u.username())).stream()
            .anyMatch(a -> String.valueOf(a.get("detail")).contains("used already")),
        "the replay is audited with its reason");
    String fresh = key.counter(0).sign(otherOptions.getString("challenge"), origin(rpId), rpId);
    ApiClient.signedIn(u.username(), u.password(), address, keyStep(other, fresh, address));
  }

  @Test
  void aRegistrationChallengeIsUsedOnce() {
    ApiClient client = ApiClient.signIn(admin.createUser());
    JsonPath options =
        expect(200, client.cookie().post("/api/me/webauthn/registration"), "options").jsonPath();
    String rpId = options.getString("rp.id");
    String challenge = options.getString("challenge");
    SoftAuthenticator key = new SoftAuthenticator();
    Map<String, Object> body =
        Map.of(
            "name",
            "k",
            "credential",
            new JsonBody(key.register(challenge, origin(rpId), rpId)).node());
    expect(201, client.cookie().body(body).post("/api/me/webauthn/registration/finish"), "first");
    SoftAuthenticator second = new SoftAuthenticator();
    expectProblem(
        400,
        "credential",
        client
            .cookie()
            .body(
                Map.of(
                    "name",
                    "k2",
                    "credential",
                    new JsonBody(second.register(challenge, origin(rpId), rpId)).node()))
            .post("/api/me/webauthn/registration/finish"),
        "a second registration with the same challenge");
  }

  @Test
  void answersForAnotherOriginOrWithACounterGoneBackAreRefusedAndLockTheStep() {
    ApiClient.NewUser u = admin.createUser();
    SoftAuthenticator key = new SoftAuthenticator().counter(100);
    register(ApiClient.signIn(u), key, "k");
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(u.username(), u.password(), address);

    JsonPath options = keyOptions(pending, address);
    String rpId = options.getString("rpId");
    String phished = key.sign(options.getString("challenge"), "https://tether.example.net", rpId);
    expectProblem(401, null, keyStep(pending, phished, address), "another origin");

    key.counter(50); // a clone
    options = keyOptions(pending, address);
    String cloned = key.sign(options.getString("challenge"), origin(rpId), rpId);
    expectProblem(401, null, keyStep(pending, cloned, address), "a counter gone back");
    List<String> reasons =
        admin.audit(Map.of("action", "auth.second-factor", "subject", u.username())).stream()
            .map(a -> String.valueOf(a.get("detail")))
            .toList();
    assertTrue(
        reasons.stream().anyMatch(r -> r.contains("origin"))
            && reasons.stream().anyMatch(r -> r.contains("counter")),
        "reasons audited: " + reasons);

    for (int i = 0; i < SecondFactorThrottle.FAILURES_TO_LOCK - 2; i++) {
      options = keyOptions(pending, address);
      keyStep(pending, key.sign(options.getString("challenge"), "https://x.test", rpId), address);
    }
    options = keyOptions(pending, address);
    key.counter(1000);
    String right = key.sign(options.getString("challenge"), origin(rpId), rpId);
    expectProblem(429, null, keyStep(pending, right, address), "the locked step");
    assertFalse(
        admin.audit(Map.of("action", "auth.mfa-locked", "subject", u.username())).isEmpty(),
        "auth.mfa-locked audited");
  }

  @Test
  void aLoopAskingForChallengesIsStopped() {
    ApiClient.NewUser u = admin.createUser();
    register(ApiClient.signIn(u), new SoftAuthenticator(), "k");
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(u.username(), u.password(), address);
    for (int i = 0; i < 20; i++) { // the registration's challenge was used: it does not count
      keyOptions(pending, address);
    }
    expectProblem(
        429,
        null,
        ApiClient.anonymousFrom(address)
            .body(Map.of("pendingToken", pending))
            .post("/api/auth/login/second-factor/webauthn/options"),
        "the 21st open challenge");
  }

  @Test
  void badInputIsAProblemNamingTheField() {
    ApiClient client = ApiClient.signIn(admin.createUser());
    expectProblem(
        400,
        "name",
        client
            .cookie()
            .body(Map.of("name", "", "credential", Map.of("id", "x")))
            .post("/api/me/webauthn/registration/finish"),
        "no name");
    expectProblem(
        400,
        "credential",
        client.cookie().body(Map.of("name", "k")).post("/api/me/webauthn/registration/finish"),
        "no credential");
    expectProblem(
        400,
        "credential",
        client
            .cookie()
            .body(Map.of("name", "k", "credential", Map.of("id", "x", "type", "public-key")))
            .post("/api/me/webauthn/registration/finish"),
        "not a credential");
    expectProblem(
        400,
        "code",
        ApiClient.anonymous()
            .body(Map.of("pendingToken", "x", "code", "123456", "webauthn", Map.of("id", "x")))
            .post("/api/auth/login/second-factor"),
        "two proofs");
    expectProblem(
        400,
        "webauthn",
        ApiClient.anonymous()
            .body(Map.of("pendingToken", "x", "webauthn", "not an object"))
            .post("/api/auth/login/second-factor"),
        "webauthn not an object");
    expectProblem(
        401,
        null,
        ApiClient.anonymous()
            .body(Map.of("pendingToken", "no-such-token"))
            .post("/api/auth/login/second-factor/webauthn/options"),
        "options for no pending sign-in");
  }

  @Test
  void keysAreRenamedRemovedAndResetByAnAdmin() {
    ApiClient.NewUser u = admin.createUser();
    ApiClient client = ApiClient.signIn(u);
    SoftAuthenticator first = new SoftAuthenticator();
    long firstId = register(client, first, "first").getLong("key.id");
    // the session was signed in with a password alone: a second key needs a two-factor session
    expectProblem(
        403, null, client.cookie().post("/api/me/webauthn/registration"), "a one-factor session");
    String from = ApiClient.randomAddress();
    ApiClient twoFactor =
        ApiClient.signedIn(u.username(), u.password(), from, signInWithKey(u, first, from));
    JsonPath second = register(twoFactor, new SoftAuthenticator(), "second");
    assertTrue(second.getList("recoveryCodes").isEmpty(), "the codes saved stay the codes");
    assertEquals(2, admin.cookie().get("/api/users/" + u.id()).jsonPath().getInt("securityKeys"));

    expect(
        204,
        twoFactor
            .cookie()
            .body(Map.of("name", "on the keyring"))
            .patch("/api/me/webauthn/credentials/" + firstId),
        "rename");
    expectProblem(
        404,
        null,
        ApiClient.signIn(admin.createUser())
            .cookie()
            .delete("/api/me/webauthn/credentials/" + firstId),
        "someone else's key");
    assertEquals(
        List.of("on the keyring", "second"),
        twoFactor.cookie().get("/api/me/webauthn/credentials").jsonPath().getList("name"));
    expect(
        204, twoFactor.cookie().delete("/api/me/webauthn/credentials/" + firstId), "remove a key");
    assertEquals(
        List.of("second"),
        twoFactor.cookie().get("/api/me/webauthn/credentials").jsonPath().getList("name"));

    expect(204, admin.cookie().delete("/api/users/" + u.id() + "/second-factor"), "reset");
    JsonPath view = admin.cookie().get("/api/users/" + u.id()).jsonPath();
    assertEquals(0, view.getInt("securityKeys"));
    assertFalse(view.getBoolean("secondFactor"));
    assertTrue(
        admin.audit(Map.of("action", "user.second-factor-reset", "subject", u.username())).stream()
            .anyMatch(a -> "1 security key removed".equals(a.get("detail"))),
        "the reset says what went");
    ApiClient.signIn(u); // the password alone again
  }

  @Test
  void aTotpUserAddsAKeyKeepsTheirCodesAndKeepsThemWhenTheAppGoes() {
    ApiClient.NewUser u = admin.createUser();
    SecondFactor.Enrolled totp = SecondFactor.enrol(ApiClient.signIn(u));
    // signed in with a recovery code: the app's next two steps stay for removing it, no wait
    String first = ApiClient.randomAddress();
    ApiClient signedIn =
        ApiClient.signedIn(
            u.username(),
            u.password(),
            first,
            SecondFactor.secondStep(
                SecondFactor.passwordStep(u.username(), u.password(), first),
                "recoveryCode",
                totp.recoveryCodes().get(0),
                first));
    SoftAuthenticator key = new SoftAuthenticator();
    assertTrue(register(signedIn, key, "k").getList("recoveryCodes").isEmpty());
    assertEquals(
        List.of("totp", "webauthn", "recovery"),
        ApiClient.login(u.username(), u.password(), ApiClient.randomAddress())
            .jsonPath()
            .getList("methods"));
    expect(
        204,
        signedIn
            .cookie()
            .body(Map.of("password", u.password(), "code", totp.app().nextCode()))
            .delete("/api/me/totp"),
        "remove the app");
    assertEquals(
        9,
        signedIn.cookie().get("/api/me/totp").jsonPath().getInt("recoveryCodesLeft"),
        "the codes (less the one used) stay while a key does");
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(u.username(), u.password(), address);
    ApiClient.signedIn(
        u.username(),
        u.password(),
        address,
        SecondFactor.secondStep(pending, "recoveryCode", totp.recoveryCodes().get(1), address));
  }

  /** A JSON text as the object RestAssured serialises into the body. */
  /**
   * A group asking for the second factor again before each session asks a user with security keys
   * alone for a key: a challenge of the step-up's own (a sign-in's does not count), an answer for
   * another origin refused and counted, the right answer opening again for the group's minutes.
   */
  @Test
  void aKeysOnlyUserPresentsTheirKeyAgainWhenAGroupAsksBeforeEachSession() {
    String group = admin.createGroup();
    admin.updateGroup(group, Map.of("requireSecondFactor", true, "reauthMinutes", 5));
    ApiClient.NewUser u = admin.createUser();
    admin.grant(u.id(), group, "operator");
    ApiClient.NewDevice device = admin.createDevice(group);
    SoftAuthenticator key = new SoftAuthenticator();
    String address = ApiClient.randomAddress();
    ApiClient client = signedInWithOnlyKey(u, key, address);
    assertEquals(List.of("webauthn"), client.me().getList("secondFactorMethods"), "GET /api/me");
    expectProblem(409, null, forwardCheck(client, device), "just signed in with the key");
    ageSessionFactors(u, 6);
    assertEquals(
        FreshSecondFactor.REQUIRED,
        expectProblem(403, null, forwardCheck(client, device), "6 minutes later")
            .getString("type"));

    String fresh = "/api/me/second-factor/fresh";
    String pending = SecondFactor.passwordStep(u.username(), u.password(), address);
    JsonPath signIn = keyOptions(pending, address);
    String rpId = signIn.getString("rpId");
    expectProblem(
        400,
        "webauthn",
        client
            .cookie()
            .body(keyAnswer(key, signIn.getString("challenge"), origin(rpId)))
            .post(fresh),
        "an answer to a sign-in's challenge");
    JsonPath options =
        expect(200, client.cookie().post(fresh + "/webauthn/options"), "step-up options")
            .jsonPath();
    assertEquals(List.of(key.credentialId()), options.getList("allowCredentials.id"));
    expectProblem(
        400,
        "webauthn",
        client
            .cookie()
            .body(keyAnswer(key, options.getString("challenge"), "https://evil.example"))
            .post(fresh),
        "an answer for another origin");
    expectProblem(403, null, forwardCheck(client, device), "still asked after refused answers");
    stepUp(client, key, "the key's answer");
    expectProblem(409, null, forwardCheck(client, device), "after the step-up");
    assertEquals(List.of(), client.me().getList("freshSecondFactor"), "GET /api/me after");
    assertTrue(
        admin.audit(Map.of("action", "auth.second-factor-fresh", "subject", u.username())).stream()
            .anyMatch(a -> "secondFactor: webauthn".equals(a.get("detail"))),
        "the step-up is audited with its factor");
    List<Map<String, Object>> refusals =
        admin.audit(Map.of("action", "auth.second-factor", "subject", u.username()));
    assertEquals(
        2,
        refusals.stream()
            .filter(a -> u.username().equals(a.get("subject")))
            .filter(a -> String.valueOf(a.get("detail")).startsWith("security key refused"))
            .count(),
        () -> "both refused answers counted toward the lock: " + refusals);

    expectProblem(
        400,
        "code",
        client.cookie().body(Map.of("code", "123456", "webauthn", Map.of())).post(fresh),
        "a code and a key");
    expectProblem(400, "code", client.cookie().body(Map.of()).post(fresh), "neither");
    expectProblem(
        400, "webauthn", client.cookie().body(Map.of("webauthn", "key")).post(fresh), "a string");
  }

  /**
   * Link ports carry no user: on a group that requires a second factor an admin with security keys
   * alone (no code to send in X-Tether-OTP) confirms one with a step-up of the key just before.
   */
  @Test
  void anAdminWithKeysAloneConfirmsALinkPortWithAStepUpJustBefore() {
    String group = admin.createGroup();
    admin.updateGroup(group, Map.of("requireSecondFactor", true));
    String links = "/api/devices/" + admin.createDevice(group).id() + "/links";
    Map<String, Object> body = Map.of("target", "console", "allowCidrs", List.of("127.0.0.1/32"));
    ApiClient.NewUser keyAdmin = admin.createUser(true);
    try {
      SoftAuthenticator key = new SoftAuthenticator();
      ApiClient client = signedInWithOnlyKey(keyAdmin, key, ApiClient.randomAddress());
      ageSessionFactors(keyAdmin, 3);
      JsonPath refused =
          expectProblem(403, null, client.cookie().body(body).post(links), "3 min after sign-in");
      assertEquals(FreshSecondFactor.REQUIRED, refused.getString("type"));
      assertTrue(
          refused.getString("detail").contains("present your security key"),
          refused.getString("detail"));
      assertFalse(refused.getString("detail").contains("X-Tether-OTP"), "no app to send a code of");

      stepUp(client, key, "the key's step-up");
      JsonPath made =
          expect(201, client.cookie().body(body).post(links), "right after the step-up").jsonPath();
      assertTrue(made.getBoolean("outsideSecondFactorPolicy"), "the new port");
      ageSessionFactors(keyAdmin, 3);
      expectProblem(
          403, null, client.cookie().body(body).post(links), "3 minutes after the step-up");
    } finally {
      expect(
          200,
          admin.cookie().body(Map.of("admin", false)).patch("/api/users/" + keyAdmin.id()),
          "the test's admin steps down");
    }
  }

  /** A step-up of the signed-in client with {@code key}: a challenge, then the key's answer. */
  private static void stepUp(ApiClient client, SoftAuthenticator key, String what) {
    String fresh = "/api/me/second-factor/fresh";
    String challenge =
        expect(200, client.cookie().post(fresh + "/webauthn/options"), what + ": options")
            .jsonPath()
            .getString("challenge");
    expect(
        204,
        client.cookie().body(keyAnswer(key, challenge, origin("127.0.0.1"))).post(fresh),
        what);
  }

  /**
   * The key's answer to {@code challenge} as a browser at {@code origin} sends it (rpId 127.0.0.1).
   */
  private static Map<String, Object> keyAnswer(
      SoftAuthenticator key, String challenge, String origin) {
    return Map.of("webauthn", new JsonBody(key.sign(challenge, origin, "127.0.0.1")).node());
  }

  private static Response forwardCheck(ApiClient client, ApiClient.NewDevice device) {
    return client
        .cookie()
        .queryParam("device", device.name())
        .queryParam("target", "console")
        .get("/api/forward/check");
  }

  /** Moves the second factor of the user's browser sessions {@code minutes} into the past. */
  private void ageSessionFactors(ApiClient.NewUser u, int minutes) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "update web_sessions set factor_at = factor_at - make_interval(mins => :m)"
                            + " where user_id = :u and factor_at is not null")
                    .setParameter("m", minutes)
                    .setParameter("u", Long.parseLong(u.id()))
                    .executeUpdate());
  }

  private record JsonBody(String json) {
    Object node() {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
