package io.tether.access;

import static io.tether.testing.ApiClient.expect;
import static io.tether.testing.ApiClient.expectProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tether.forward.ForwardCheck;
import io.tether.testing.ApiClient;
import io.tether.testing.EmbeddedPostgresResource;
import io.tether.testing.SecondFactor;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A group that requires a second factor: terminals and forwards on its devices open only for a
 * credential established with one (a browser session signed in with a code, or an API token made
 * from such a session); other groups behave as before.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SecondFactorPolicyTest {
  @Inject Authenticator authenticator;
  @Inject ForwardCheck forwards;
  @Inject EntityManager em;

  private ApiClient admin;
  private ApiClient.NewUser user;
  private ApiClient.NewDevice device;
  private String group;

  /** A user with an operator grant on a new group that requires a second factor, and a device. */
  @BeforeEach
  void requiredGroup() {
    admin = ApiClient.admin();
    group = admin.createGroup();
    admin.updateGroup(group, Map.of("requireSecondFactor", true));
    user = admin.createUser();
    admin.grant(user.id(), group, "operator");
    device = admin.createDevice(group);
  }

  /** The forward check of tether-cli: past the policy, an offline device answers 409. */
  private Response forwardCheck(RequestSpecification spec) {
    return spec.queryParam("device", device.name())
        .queryParam("target", "console")
        .get("/api/forward/check");
  }

  private Response terminalUpgrade(RequestSpecification spec) {
    return spec.header("Upgrade", "websocket")
        .header("Connection", "Upgrade")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("Origin", "http://127.0.0.1:" + RestAssured.port)
        .queryParam("target", "console")
        .get("/api/devices/" + device.id() + "/terminal");
  }

  private static void expectSecondFactorRequired(Response r, String what) {
    JsonPath p = expectProblem(403, null, r, what);
    assertEquals(AccessPolicy.SECOND_FACTOR_REQUIRED, p.getString("type"), what + ": type");
    assertEquals("Second factor required", p.getString("title"), what + ": title");
  }

  @Test
  void aPasswordOnlySessionOpensNothingEvenAfterEnrolling() {
    ApiClient client = ApiClient.signIn(user);
    JsonPath me = client.me();
    assertFalse(me.getBoolean("mfa"), "a password-only session counts as two-factor");
    assertEquals(List.of(group), me.getList("secondFactorRequired"), "GET /api/me");
    expectSecondFactorRequired(forwardCheck(client.cookie()), "forward check, no factor");
    expectSecondFactorRequired(terminalUpgrade(client.cookie()), "terminal, no factor");
    SecondFactor.enrol(client);
    expectSecondFactorRequired(
        forwardCheck(client.cookie()), "forward check, enrolled in this session");
    expectSecondFactorRequired(
        terminalUpgrade(client.cookie()), "terminal, enrolled in this session");
    expect(200, client.cookie().get("/api/devices/" + device.id()), "viewing the device");
  }

  @Test
  void aSessionSignedInWithACodeOpens() {
    ApiClient plain = ApiClient.signIn(user);
    SecondFactor.Enrolled factor = SecondFactor.enrol(plain);
    ApiClient client = SecondFactor.signIn(user.username(), user.password(), factor.app());
    JsonPath me = client.me();
    assertTrue(me.getBoolean("mfa"), "a session signed in with a code is two-factor");
    assertEquals(List.of(), me.getList("secondFactorRequired"), "GET /api/me");
    expectProblem(409, null, forwardCheck(client.cookie()), "forward check past the policy");
  }

  @Test
  void onlyTokensMadeFromATwoFactorSessionOpen() {
    ApiClient plain = ApiClient.signIn(user);
    ApiClient.NewToken without = plain.createToken(ApiClient.unique("no-mfa"), null);
    SecondFactor.Enrolled factor = SecondFactor.enrol(plain);
    ApiClient client = SecondFactor.signIn(user.username(), user.password(), factor.app());
    ApiClient.NewToken with = client.createToken(ApiClient.unique("mfa"), null);

    JsonPath tokens = expect(200, client.cookie().get("/api/tokens"), "GET tokens").jsonPath();
    assertTrue(tokens.getBoolean("items.find { it.id == " + with.id() + " }.mfa"), "mfa token");
    assertFalse(
        tokens.getBoolean("items.find { it.id == " + without.id() + " }.mfa"), "plain token");

    String address = ApiClient.randomAddress();
    expectSecondFactorRequired(
        forwardCheck(ApiClient.bearer(without.token(), address)), "forward check, plain token");
    expectSecondFactorRequired(
        terminalUpgrade(ApiClient.bearer(without.token(), address)), "terminal, plain token");
    expectProblem(
        409,
        null,
        forwardCheck(ApiClient.bearer(with.token(), address)),
        "forward check with a token made after a second factor");
  }

  /**
   * A token is a second factor presented once: the group accepts it for its days (30 unless set)
   * after the token was made, and a live forward of one now too old closes when the days shrink.
   */
  @Test
  void aTokensSecondFactorCountsForTheGroupsDaysAfterItWasMade() {
    ApiClient plain = ApiClient.signIn(user);
    SecondFactor.Enrolled factor = SecondFactor.enrol(plain);
    ApiClient client = SecondFactor.signIn(user.username(), user.password(), factor.app());
    ApiClient.NewToken token = client.createToken(ApiClient.unique("aged"), null);
    String address = ApiClient.randomAddress();
    String groupPath = "/api/groups/" + admin.groupId(group);
    assertEquals(
        30,
        expect(200, admin.cookie().get("/api/groups"), "GET groups")
            .jsonPath()
            .getInt("items.find { it.name == '" + group + "' }.secondFactorTokenDays"),
        "the default");

    age(token, 31);
    JsonPath refused =
        expectProblem(
            403, null, forwardCheck(ApiClient.bearer(token.token(), address)), "31 days old");
    assertEquals(AccessPolicy.SECOND_FACTOR_REQUIRED, refused.getString("type"), "type");
    assertTrue(
        refused.getString("detail").contains("for 30 days after the token was made")
            && refused.getString("detail").contains("made 31 days ago"),
        "the refusal says why and what to do: " + refused.getString("detail"));

    expect(
        200,
        admin.cookie().body(Map.of("secondFactorTokenDays", 60)).patch(groupPath),
        "PATCH secondFactorTokenDays 60");
    expectProblem(
        409,
        null,
        forwardCheck(ApiClient.bearer(token.token(), address)),
        "31 days old, the group accepting 60");
    Principal live = authenticator.authenticate("Bearer " + token.token(), null).orElseThrow();
    long deviceId = Long.parseLong(device.id());
    assertEquals(Boolean.TRUE, forwards.stillAllowed(live, deviceId), "a live forward, 60 days");
    expect(
        200,
        admin.cookie().body(Map.of("secondFactorTokenDays", 7)).patch(groupPath),
        "PATCH secondFactorTokenDays 7");
    assertEquals(Boolean.FALSE, forwards.stillAllowed(live, deviceId), "its re-check, 7 days");

    for (int bad : new int[] {0, 366}) {
      expectProblem(
          400,
          "secondFactorTokenDays",
          admin.cookie().body(Map.of("secondFactorTokenDays", bad)).patch(groupPath),
          "secondFactorTokenDays " + bad);
    }
  }

  private static void expectFreshFactorRequired(Response r, String detail, String what) {
    JsonPath p = expectProblem(403, null, r, what);
    assertEquals(FreshSecondFactor.REQUIRED, p.getString("type"), what + ": type");
    assertTrue(p.getString("detail").contains(detail), what + ": " + p.getString("detail"));
  }

  /**
   * Link ports carry no user past the group's rule: creating one there takes the admin's current
   * code, and the port is shown as outside the policy.
   */
  @Test
  void aLinkPortOnTheGroupTakesTheAdminsFreshCodeAndIsShownOutsideThePolicy() {
    String links = "/api/devices/" + device.id() + "/links";
    Map<String, Object> body = Map.of("target", "console", "allowCidrs", List.of("127.0.0.1/32"));
    expectFreshFactorRequired(
        admin.cookie().body(body).post(links),
        "enrol an authenticator app",
        "an admin without a factor");
    // an admin of its own: SchemaTest counts the admins the first start made
    ApiClient.NewUser adminUser = admin.createUser(true);
    try {
      Enrolled fa = enrolled(adminUser);
      ageFactors(adminUser, 3); // a sign-in within FreshSecondFactor.JUST_NOW stands in for a code
      expectFreshFactorRequired(
          fa.client().cookie().body(body).post(links), "X-Tether-OTP", "without a code");
      expectFreshFactorRequired(
          fa.client()
              .cookie()
              .header(FreshSecondFactor.HEADER, fa.factor().app().wrongCode())
              .body(body)
              .post(links),
          "is wrong",
          "a wrong code");
      JsonPath made =
          expect(
                  201,
                  fa.client()
                      .cookie()
                      .header(FreshSecondFactor.HEADER, fa.factor().app().nextCode())
                      .body(body)
                      .post(links),
                  "with a current code")
              .jsonPath();
      assertTrue(made.getBoolean("outsideSecondFactorPolicy"), "the new port");
      assertTrue(
          expect(200, admin.cookie().get(links), "GET links")
              .jsonPath()
              .getBoolean("items[0].outsideSecondFactorPolicy"),
          "the list");
      expect(
          204,
          admin.cookie().delete(links + "/" + made.getLong("id")),
          "removing one needs no code");
    } finally {
      expect(
          200,
          admin.cookie().body(Map.of("admin", false)).patch("/api/users/" + adminUser.id()),
          "the test's admin steps down");
    }
  }

  /** Raw ingress likewise: a raw device made in (or moved into) the group takes a fresh code. */
  @Test
  void aRawDeviceOnTheGroupTakesTheAdminsFreshCode() {
    // an admin of its own: SchemaTest counts the admins the first start made
    ApiClient.NewUser adminUser = admin.createUser(true);
    try {
      Enrolled fa = enrolled(adminUser);
      ageFactors(adminUser, 3);
      Map<String, Object> body =
          Map.of(
              "name",
              ApiClient.unique("raw"),
              "mode",
              "raw",
              "group",
              group,
              "allowCidrs",
              List.of("127.0.0.1/32"));
      expectFreshFactorRequired(
          fa.client().cookie().body(body).post("/api/devices"), "X-Tether-OTP", "a raw device");
      String elsewhere = admin.createGroup();
      Map<String, Object> outside = new java.util.HashMap<>(body);
      outside.put("group", elsewhere);
      JsonPath raw =
          expect(201, admin.cookie().body(outside).post("/api/devices"), "raw, another group")
              .jsonPath();
      assertFalse(raw.getBoolean("ingress.outsideSecondFactorPolicy"), "another group's");
      expectFreshFactorRequired(
          fa.client()
              .cookie()
              .body(Map.of("group", group))
              .patch("/api/devices/" + raw.getLong("id")),
          "X-Tether-OTP",
          "moving it into the group");
      JsonPath moved =
          expect(
                  200,
                  fa.client()
                      .cookie()
                      .header(FreshSecondFactor.HEADER, fa.factor().app().nextCode())
                      .body(Map.of("group", group))
                      .patch("/api/devices/" + raw.getLong("id")),
                  "moved with a current code")
              .jsonPath();
      assertTrue(moved.getBoolean("ingress.outsideSecondFactorPolicy"), "now in the group");
    } finally {
      expect(
          200,
          admin.cookie().body(Map.of("admin", false)).patch("/api/users/" + adminUser.id()),
          "the test's admin steps down");
    }
  }

  /** A user with an authenticator app, signed in with a recovery code (its steps stay unused). */
  private record Enrolled(ApiClient client, SecondFactor.Enrolled factor) {}

  private static Enrolled enrolled(ApiClient.NewUser who) {
    SecondFactor.Enrolled factor = SecondFactor.enrol(ApiClient.signIn(who));
    String address = ApiClient.randomAddress();
    String pending = SecondFactor.passwordStep(who.username(), who.password(), address);
    return new Enrolled(
        ApiClient.signedIn(
            who.username(),
            who.password(),
            address,
            SecondFactor.secondStep(
                pending, "recoveryCode", factor.recoveryCodes().get(0), address)),
        factor);
  }

  private void askAgainWithin(int minutes) {
    expect(
        200,
        admin
            .cookie()
            .body(Map.of("reauthMinutes", minutes))
            .patch("/api/groups/" + admin.groupId(group)),
        "PATCH reauthMinutes");
  }

  /** Moves the user's second factors {@code minutes} into the past (sessions and tokens). */
  private void ageFactors(int minutes) {
    ageFactors(user, minutes);
  }

  private void ageFactors(ApiClient.NewUser who, int minutes) {
    for (String table : List.of("web_sessions", "api_tokens")) {
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  em.createNativeQuery(
                          "update "
                              + table
                              + " set factor_at = factor_at - make_interval(mins => :m)"
                              + " where user_id = :u and factor_at is not null")
                      .setParameter("m", minutes)
                      .setParameter("u", Long.parseLong(who.id()))
                      .executeUpdate());
    }
  }

  /**
   * A group that asks for the second factor again before each session: a browser session whose
   * factor is older is refused new terminals and forwards (its live ones go on) until the page
   * sends a current code.
   */
  @Test
  void aGroupAskingAgainRefusesANewSessionUntilTheBrowserPresentsACode() {
    askAgainWithin(5);
    Enrolled e = enrolled(user);
    expectProblem(409, null, forwardCheck(e.client().cookie()), "a factor just presented");
    Principal live = authenticator.authenticate(null, e.client().sessionCookie()).orElseThrow();
    ageFactors(6);
    expectFreshFactorRequired(
        forwardCheck(e.client().cookie()), "again before each session", "6 min");
    expectFreshFactorRequired(
        terminalUpgrade(e.client().cookie()), "again before each session", "terminal");
    assertEquals(List.of(group), e.client().me().getList("freshSecondFactor"), "GET /api/me");
    assertEquals(
        Boolean.TRUE,
        forwards.stillAllowed(live, Long.parseLong(device.id())),
        "a live forward's re-check does not ask again");

    String fresh = "/api/me/second-factor/fresh";
    expectProblem(
        400,
        "code",
        e.client().cookie().body(Map.of("code", e.factor().app().wrongCode())).post(fresh),
        "a wrong code");
    expect(
        204,
        e.client().cookie().body(Map.of("code", e.factor().app().nextCode())).post(fresh),
        "a current code");
    expectProblem(409, null, forwardCheck(e.client().cookie()), "after the step-up");
    assertEquals(List.of(), e.client().me().getList("freshSecondFactor"), "GET /api/me after");

    expect(
        200,
        admin.cookie().body(Map.of("noReauth", true)).patch("/api/groups/" + admin.groupId(group)),
        "PATCH noReauth");
    ageFactors(60);
    expectProblem(409, null, forwardCheck(e.client().cookie()), "the group no longer asks");
  }

  /** An API token presents the code with the forward check, which then counts for the minutes. */
  @Test
  void aGroupAskingAgainTakesATokensCodeWithTheForwardCheck() {
    askAgainWithin(5);
    Enrolled e = enrolled(user);
    ApiClient.NewToken token = e.client().createToken(ApiClient.unique("fresh"), null);
    String address = ApiClient.randomAddress();
    JsonPath refused =
        expectProblem(
            401, null, forwardCheck(ApiClient.bearer(token.token(), address)), "no code yet");
    assertEquals(AccessPolicy.MFA_REQUIRED, refused.getString("type"), "type");
    assertTrue(refused.getString("detail").contains(FreshSecondFactor.HEADER), "how");
    assertEquals(
        AccessPolicy.MFA_REQUIRED,
        expectProblem(
                401,
                null,
                forwardCheck(
                    ApiClient.bearer(token.token(), address)
                        .header(FreshSecondFactor.HEADER, e.factor().app().wrongCode())),
                "a wrong code")
            .getString("type"),
        "a wrong code's type");
    expectProblem(
        409,
        null,
        forwardCheck(
            ApiClient.bearer(token.token(), address)
                .header(FreshSecondFactor.HEADER, e.factor().app().nextCode())),
        "with a current code");
    expectProblem(
        409, null, forwardCheck(ApiClient.bearer(token.token(), address)), "minutes after");
    ageFactors(6);
    expectProblem(
        401, null, forwardCheck(ApiClient.bearer(token.token(), address)), "6 minutes after");
  }

  /** Moves a token's making {@code days} back. */
  private void age(ApiClient.NewToken token, int days) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "update api_tokens set created_at = created_at - make_interval(days => :d)"
                            + " where id = :id")
                    .setParameter("d", days)
                    .setParameter("id", Long.parseLong(token.id()))
                    .executeUpdate());
  }

  /**
   * Live sockets re-check on access changes (turning the requirement on fires one for every
   * socket): the re-check then refuses a credential without a second factor, and keeps one with.
   */
  @Test
  void turningTheRequirementOnRefusesLiveSocketsWithoutASecondFactor() {
    String later = admin.createGroup();
    admin.grant(user.id(), later, "operator");
    long laterDevice = Long.parseLong(admin.createDevice(later).id());
    ApiClient plain = ApiClient.signIn(user);
    Principal without =
        authenticator
            .authenticate(
                "Bearer " + plain.createToken(ApiClient.unique("no-mfa"), null).token(), null)
            .orElseThrow();
    SecondFactor.Enrolled factor = SecondFactor.enrol(plain);
    ApiClient client = SecondFactor.signIn(user.username(), user.password(), factor.app());
    Principal with =
        authenticator
            .authenticate(
                "Bearer " + client.createToken(ApiClient.unique("mfa"), null).token(), null)
            .orElseThrow();
    assertEquals(Boolean.TRUE, forwards.stillAllowed(without, laterDevice), "before, no factor");
    expect(
        200,
        admin
            .cookie()
            .body(Map.of("requireSecondFactor", true))
            .patch("/api/groups/" + admin.groupId(later)),
        "PATCH group requireSecondFactor");
    assertEquals(Boolean.FALSE, forwards.stillAllowed(without, laterDevice), "after, no factor");
    assertEquals(Boolean.TRUE, forwards.stillAllowed(with, laterDevice), "after, with a factor");
  }

  @Test
  void groupsThatDoNotRequireItAreUnchanged() {
    String open = admin.createGroup();
    admin.grant(user.id(), open, "operator");
    ApiClient.NewDevice elsewhere = admin.createDevice(open);
    ApiClient client = ApiClient.signIn(user);
    expectProblem(
        409,
        null,
        client
            .cookie()
            .queryParam("device", elsewhere.name())
            .queryParam("target", "console")
            .get("/api/forward/check"),
        "forward check on a group without the requirement");
  }
}
