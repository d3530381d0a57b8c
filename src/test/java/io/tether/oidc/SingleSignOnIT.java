package io.tether.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.Build;
import io.tether.testing.CliProcess;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.RecordingBrowser;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import io.tether.testing.TestOidcProvider;
import io.tether.testing.TestOidcProvider.Login;
import io.tether.web.BrowserDialogue;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single sign-on end to end: the packaged portal configured with one provider ({@code corp}) of a
 * test OpenID Connect provider on loopback that also serves a second issuer ({@code other}). In
 * Chromium with the real SameSite=Strict cookie: the button signs in, the groups claim becomes
 * grants, a claim dropped at the next sign-in removes its grant and closes the open terminal while
 * an admin's grant stays, and a just-in-time account never takes a local user's name. Over plain
 * HTTP: another issuer's token, a wrong audience, an expired token, a replayed state and a replayed
 * nonce are each refused with a page and an audit entry; an invitation binds once.
 */
class SingleSignOnIT {
  static final TestOidcProvider idp = TestOidcProvider.start("tether", "s3cret", "corp", "other");

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "sso",
          Map.ofEntries(
              Map.entry("TETHER_TRUSTED_PROXIES", "127.0.0.1"),
              Map.entry("TETHER_OIDC_PROVIDERS", "corp,lab"),
              // lab: the second issuer, no just-in-time accounts
              Map.entry("TETHER_OIDC_LAB_ISSUER", idp.issuer("other")),
              Map.entry("TETHER_OIDC_LAB_CLIENT_ID", "tether"),
              Map.entry("TETHER_OIDC_LAB_CLIENT_SECRET", "s3cret"),
              Map.entry("TETHER_OIDC_CORP_ISSUER", idp.issuer("corp")),
              Map.entry("TETHER_OIDC_CORP_CLIENT_ID", "tether"),
              Map.entry("TETHER_OIDC_CORP_CLIENT_SECRET", "s3cret"),
              Map.entry("TETHER_OIDC_CORP_DISPLAY_NAME", "Corp SSO"),
              Map.entry("TETHER_OIDC_CORP_GROUPS_CLAIM", "groups"),
              Map.entry("TETHER_OIDC_CORP_ADMIN_GROUP", "tether-admins"),
              Map.entry("TETHER_OIDC_CORP_AUTO_CREATE", "true"),
              Map.entry("TETHER_OIDC_CORP_MFA_AMR", "mfa"),
              Map.entry("TETHER_OIDC_CORP_TOKEN_LIFETIME", "7d")));

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  @AfterAll
  static void stopProvider() {
    idp.close();
  }

  @Test
  void signInWithTheButtonGrantsFromClaimsAndADroppedClaimClosesTheTerminal() {
    PortalApi admin = portal.admin();
    String claimed = PortalApi.unique("plant");
    String kept = PortalApi.unique("lab");
    String adminMade = PortalApi.unique("office");
    for (String g : List.of(claimed, kept, adminMade)) {
      admin.post("/api/groups", Map.of("name", g));
    }
    // a local user whose name the provider's preferred_username also claims
    String local = PortalApi.unique("ann");
    admin.post("/api/users", Map.of("username", local, "password", "pw-" + local, "admin", false));
    TestDevices.Device device = TestDevices.echo(portal.process(), admin, claimed, started::add);
    String subject = PortalApi.unique("sub");
    idp.next(
        "corp",
        Login.of(
            subject,
            Map.of("preferred_username", local, "groups", List.of(claimed + ":operator", kept))));

    Map<String, BrowserDialogue.Handler> handlers = new HashMap<>();
    handlers.put(
        "afterFirstSignIn",
        request -> {
          String username = request.path("username").asText();
          assertEquals(local + "-2", username, "a new account, suffixed: never the local user");
          JsonNode user = user(admin, username);
          assertEquals(
              Set.of(claimed + "=operator oidc:corp", kept + "=viewer oidc:corp"),
              grants(admin, user.get("id").asLong()),
              "the groups claim's grants, marked with their source");
          assertTrue(grants(admin, user(admin, local).get("id").asLong()).isEmpty());
          admin.post(
              "/api/users/" + user.get("id").asText() + "/grants",
              Map.of("group", adminMade, "role", "viewer"));
          assertTrue(
              audit(admin, "auth.login").stream()
                  .anyMatch(
                      e ->
                          e.path("subject").asText().equals(username)
                              && e.path("detail").asText().contains("method: oidc:corp")),
              "auth.login audited with method oidc:corp");
          String name = admin.get("/api/devices/" + device.id()).get("name").asText();
          return Map.of("id", device.id(), "name", name);
        });
    handlers.put(
        "dropGroup",
        request -> {
          idp.next(
              "corp",
              Login.of(subject, Map.of("preferred_username", local, "groups", List.of(kept))));
          return null;
        });
    handlers.put(
        "afterSecondSignIn",
        request -> {
          JsonNode user = user(admin, request.path("username").asText());
          assertEquals(
              Set.of(kept + "=viewer oidc:corp", adminMade + "=viewer admin"),
              grants(admin, user.get("id").asLong()),
              "the dropped claim's grant is gone, the admin's grant stays");
          return null;
        });
    BrowserDialogue.run(
        "sso.mjs",
        "grants",
        Map.of("TETHER_URL", portal.baseUrl(), "SSO_DISPLAY_NAME", "Corp SSO"),
        handlers,
        Duration.ofSeconds(150));
  }

  @Test
  void tokensThatAreNotForUsAreRefusedWithAPageAndAnAuditEntry() throws Exception {
    PortalApi admin = portal.admin();
    String subject = PortalApi.unique("sub");
    Map<String, Object> claims = Map.of("preferred_username", PortalApi.unique("bob"));

    idp.next("corp", Login.of(subject, claims).withIssuer(idp.issuer("other")));
    assertRefused(signIn().location(), "refused");
    assertAudited(admin, "ID token is from another issuer");

    idp.next("corp", Login.of(subject, claims).withAudience("another-client"));
    assertRefused(signIn().location(), "refused");
    assertAudited(admin, "ID token is for another client");

    idp.next("corp", Login.of(subject, claims).expiringAt(Instant.now().minusSeconds(600)));
    assertRefused(signIn().location(), "refused");
    assertAudited(admin, "ID token has expired");

    idp.next("corp", Login.of(subject, claims));
    Callback done = signIn();
    assertEquals("/", done.location(), "a good token signs in");
    assertTrue(done.sessionCookie() != null, "with our own session cookie");
    String usedNonce = idp.lastNonce();
    String bob = (String) claims.get("preferred_username");
    assertFalse(user(admin, bob).get("admin").asBoolean(), "no admin flag without its claim value");

    // the admin flag follows the claim value the provider setting names, and goes with it
    idp.next("corp", Login.of(subject, Map.of("groups", List.of("tether-admins"))));
    signIn();
    assertEquals("oidc:corp", user(admin, bob).get("adminSource").asText());
    assertTrue(user(admin, bob).get("admin").asBoolean(), "admin from the claim");
    idp.next("corp", Login.of(subject, Map.of("groups", List.of())));
    signIn();
    assertFalse(user(admin, bob).get("admin").asBoolean(), "gone with the claim");

    // the same callback again (the browser's back button, or a stolen URL): the state is spent
    assertRefused(done.replay().location(), "expired");
    assertAudited(admin, "state unknown, already used");

    // an ID token carrying an earlier sign-in's nonce
    idp.next("corp", Login.of(subject, claims).withNonce(usedNonce));
    assertRefused(signIn().location(), "refused");
    assertAudited(admin, "nonce does not match");

    // a callback from a browser that did not start the flow
    idp.next("corp", Login.of(subject, claims));
    assertRefused(signIn(false).location(), "expired");
  }

  @Test
  void anInvitationBindsOnceThenAmrOrOurCodeStepMakesTheSecondFactor() throws Exception {
    PortalApi admin = portal.admin();
    String carol = PortalApi.unique("carol");
    String password = "pw-" + carol;
    JsonNode user =
        admin.post("/api/users", Map.of("username", carol, "password", password, "admin", false));
    String url =
        admin
            .post("/api/users/" + user.get("id").asText() + "/sso/invitation", Map.of())
            .get("url")
            .asText();
    String token = url.substring(url.indexOf("invitation=") + "invitation=".length());
    String invitation = "?invitation=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    String subject = PortalApi.unique("sub");
    idp.next(
        "corp",
        Login.of(subject, Map.of("preferred_username", "someone-else", "amr", List.of("pwd"))));
    Callback done = signIn(invitation, true);
    assertEquals("/", done.location());
    JsonNode me = me(done.sessionCookie());
    assertEquals(carol, me.get("username").asText(), "the invitation bound the identity to carol");
    assertFalse(me.get("mfa").asBoolean(), "amr pwd alone is no second factor");
    JsonNode identities = admin.get("/api/users/" + user.get("id").asText() + "/sso/identities");
    assertEquals(subject, identities.get("items").get(0).get("subject").asText());
    assertRefused(
        location(get(portal.baseUrl() + "/api/auth/oidc/corp/login" + invitation, Map.of())),
        "invitation");

    // API tokens of a user bound to the provider live within its lifetime (7d here)
    HttpResponse<String> created =
        PortalApi.send(
            portal.baseUrl(),
            "POST",
            "/api/tokens",
            Map.of("name", "ci", "expiresAt", Instant.now().plus(Duration.ofDays(90)).toString()),
            Map.of("Cookie", done.sessionCookie(), "X-CSRF-Token", me.get("csrfToken").asText()));
    Instant expires =
        Instant.parse(PortalApi.expect(201, created, "POST /api/tokens").get("expiresAt").asText());
    assertTrue(
        expires.isBefore(Instant.now().plus(Duration.ofDays(7)).plusSeconds(60)),
        "a token of an SSO-bound user expires within the provider's lifetime: " + expires);

    // amr mfa from a provider trusted for it counts as the second factor
    idp.next("corp", Login.of(subject, Map.of("amr", List.of("pwd", "mfa"))));
    assertTrue(me(signIn().sessionCookie()).get("mfa").asBoolean(), "amr mfa is a second factor");

    // with a TOTP factor and no trusted amr, our own code step follows the provider
    PortalApi carolApi = PortalApi.signIn(portal.baseUrl(), carol, password);
    JsonNode enrolment =
        PortalApi.expect(200, carolApi.request("POST", "/api/me/totp", null), "enrol");
    io.tether.testing.TotpApp app = new io.tether.testing.TotpApp(enrolment.get("secret").asText());
    PortalApi.expect(
        200,
        carolApi.request("POST", "/api/me/totp/confirm", Map.of("code", app.nextCode())),
        "confirm");
    idp.next("corp", Login.of(subject, Map.of("amr", List.of("pwd"))));
    Callback pending = signIn();
    assertTrue(
        pending.location().startsWith("/sign-in?second-factor=corp&methods=totp,recovery#"),
        "our second-factor step: " + pending.location());
    assertEquals(null, pending.sessionCookie(), "no session before the code");
    String pendingToken = pending.location().substring(pending.location().indexOf('#') + 1);
    HttpResponse<String> second =
        PortalApi.send(
            portal.baseUrl(),
            "POST",
            "/api/auth/login/second-factor",
            Map.of("pendingToken", pendingToken, "code", app.nextCode()),
            Map.of());
    PortalApi.expect(200, second, "the code step after single sign-on");
    assertTrue(
        audit(admin, "auth.login").stream()
            .anyMatch(
                e ->
                    e.path("subject").asText().equals(carol)
                        && e.path("detail")
                            .asText()
                            .equals("method: oidc:corp, secondFactor: totp")),
        "audited with both steps");
  }

  @Test
  void aSignedInUserLinksAnIdentityAfterTheirPasswordAndAnUnboundOneIsRefused() throws Exception {
    PortalApi admin = portal.admin();
    String dave = PortalApi.unique("dave");
    admin.post("/api/users", Map.of("username", dave, "password", "pw-" + dave, "admin", false));
    PortalApi daveApi = PortalApi.signIn(portal.baseUrl(), dave, "pw-" + dave);

    String stranger = PortalApi.unique("sub");
    idp.next("other", Login.of(stranger, Map.of("preferred_username", dave)));
    assertRefused(signIn("lab", "", true).location(), "unbound", "lab");
    assertAudited(admin, "no account for this identity");

    PortalApi.expect(
        400,
        daveApi.request(
            "POST", "/api/me/identities", Map.of("provider", "lab", "password", "wrong")),
        "linking with a wrong password");
    Callback linked = link(daveApi, dave);
    assertEquals("/account?linked=lab", linked.location(), "back on the account page");
    JsonNode identities = daveApi.get("/api/me/identities").get("items");
    assertEquals(stranger, identities.get(0).get("subject").asText());

    assertEquals("/", signIn("lab", "", true).location(), "the linked identity now signs in");
    String other = PortalApi.unique("sub");
    idp.next("other", Login.of(other, Map.of()));
    assertEquals("/account?linked=lab", link(daveApi, dave).location(), "a second one links too");
    assertEquals(2, daveApi.get("/api/me/identities").get("items").size());
  }

  /** A link flow of {@code api}'s user at lab, followed through the provider. */
  private static Callback link(PortalApi api, String user) throws Exception {
    HttpResponse<String> start =
        api.request(
            "POST", "/api/me/identities", Map.of("provider", "lab", "password", "pw-" + user));
    URI authorize =
        URI.create(PortalApi.expect(200, start, "link start").get("authorizeUrl").asText());
    return followToProvider(cookie(start, "tether_sso"), authorize, true);
  }

  private static JsonNode me(String sessionCookie) throws Exception {
    HttpResponse<String> r = get(portal.baseUrl() + "/api/me", Map.of("Cookie", sessionCookie));
    return PortalApi.expect(200, r, "GET /api/me");
  }

  // --- a code flow by hand, as a browser would follow it ---

  record Callback(String location, String sessionCookie, URI callback, String flowCookie) {
    Callback replay() throws Exception {
      HttpResponse<String> r = get(callback.toString(), Map.of("Cookie", flowCookie));
      return new Callback(SingleSignOnIT.location(r), null, callback, flowCookie);
    }
  }

  /**
   * tether login against a portal with single sign-on opens the browser (BROWSER, here a script
   * that writes the address down) on the portal's command-line page; "Sign in with Corp SSO" there
   * comes back to it, Allow hands the token to the CLI, and the token lives no longer than the
   * provider's token lifetime (7 days) though the CLI asked for 30.
   */
  @Test
  void tetherLoginSignsInThroughSingleSignOnWithinTheProvidersTokenLifetime() throws Exception {
    String name = PortalApi.unique("dana");
    idp.next("corp", Login.of(PortalApi.unique("cli"), Map.of("preferred_username", name)));
    Path config = Build.workDir("sso-cli");
    RecordingBrowser browser = RecordingBrowser.in(config);
    try (JavaProcess login =
        JavaProcess.start(
            Build.artifact("tether-cli.jar"),
            CliProcess.MAX_HEAP,
            List.of("login", "--portal", portal.baseUrl()),
            Map.of("XDG_CONFIG_HOME", config.toString(), "BROWSER", browser.command()),
            config.resolve("login.log"))) {
      BrowserDialogue.run(
          "sso.mjs",
          "cli",
          Map.of(
              "TETHER_URL", portal.baseUrl(),
              "SSO_DISPLAY_NAME", "Corp SSO",
              "CLI_URL", browser.awaitOpened(Duration.ofSeconds(30))),
          Map.of(),
          Duration.ofSeconds(120));
      assertTrue(login.waitFor(Duration.ofSeconds(30)), "tether login ended: " + login.output());
      assertEquals(0, login.exitCode(), login.output());
    }
    java.util.Properties creds = new java.util.Properties();
    creds.load(Files.newBufferedReader(config.resolve("tether/credentials")));
    Map<String, String> bearer = Map.of("Authorization", "Bearer " + creds.getProperty("token"));
    HttpResponse<String> me = get(portal.baseUrl() + "/api/me", bearer);
    assertEquals(200, me.statusCode(), me.body());
    assertTrue(me.body().contains("\"username\":\"" + name + "\""), me.body());
    JsonNode tokens =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(get(portal.baseUrl() + "/api/tokens", bearer).body());
    Instant expires = Instant.parse(tokens.get("items").get(0).get("expiresAt").asText());
    assertTrue(
        expires.isBefore(Instant.now().plus(Duration.ofDays(7)).plusSeconds(60)),
        "the provider's 7-day token lifetime caps the CLI's 30 days: " + expires);
  }

  /**
   * Two first sign-ins of one new identity at once (a double click, two tabs): both land signed in,
   * as one just-in-time account, never a server error or a second account.
   */
  @Test
  void twoFirstSignInsOfOneIdentityAtOnceMakeOneAccount() throws Exception {
    String subject = PortalApi.unique("twice");
    String name = PortalApi.unique("carol");
    List<String[]> callbacks = new java.util.ArrayList<>(); // [callback URL, flow cookie]
    for (int i = 0; i < 2; i++) {
      idp.next("corp", Login.of(subject, Map.of("preferred_username", name)));
      HttpResponse<String> login = get(portal.baseUrl() + "/api/auth/oidc/corp/login", Map.of());
      HttpResponse<String> provider =
          get(login.headers().firstValue("Location").orElseThrow(), Map.of());
      callbacks.add(
          new String[] {
            provider.headers().firstValue("Location").orElseThrow(), cookie(login, "tether_sso")
          });
    }
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> both =
        callbacks.stream()
            .map(
                c ->
                    HTTP.sendAsync(
                        HttpRequest.newBuilder(URI.create(c[0]))
                            .header("Cookie", c[1])
                            .timeout(Duration.ofSeconds(20))
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
            .toList();
    for (var answer : both) {
      HttpResponse<String> r = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(303, r.statusCode(), () -> "a first sign-in answered: " + r.body());
      assertEquals("/", location(r), "signed in");
      assertTrue(cookie(r, "tether_session") != null, "with a session");
    }
    long accounts =
        StreamSupport.stream(
                portal.admin().get("/api/users?limit=200").get("items").spliterator(), false)
            .filter(u -> u.get("username").asText().startsWith(name))
            .count();
    assertEquals(1, accounts, "one identity, one account");
  }

  private static Callback signIn() throws Exception {
    return signIn("", true);
  }

  private static Callback signIn(boolean sameBrowser) throws Exception {
    return signIn("", sameBrowser);
  }

  /** login → provider → callback; answers where the callback sends the browser. */
  private static Callback signIn(String query, boolean sameBrowser) throws Exception {
    return signIn("corp", query, sameBrowser);
  }

  private static Callback signIn(String provider, String query, boolean sameBrowser)
      throws Exception {
    HttpResponse<String> login =
        get(portal.baseUrl() + "/api/auth/oidc/" + provider + "/login" + query, Map.of());
    assertEquals(303, login.statusCode(), "login redirects to the provider: " + login.body());
    return followToProvider(
        cookie(login, "tether_sso"),
        URI.create(login.headers().firstValue("Location").orElseThrow()),
        sameBrowser);
  }

  /** From the provider's authorization URL back through the callback, as the browser goes. */
  private static Callback followToProvider(String flowCookie, URI authorize, boolean sameBrowser)
      throws Exception {
    Map<String, String> q = TestOidcProvider.query(authorize);
    assertEquals("S256", q.get("code_challenge_method"), "PKCE with S256");
    assertTrue(q.get("nonce") != null && q.get("state") != null, "state and nonce are sent");
    HttpResponse<String> provider = get(authorize.toString(), Map.of());
    assertEquals(302, provider.statusCode(), "the provider answers: " + provider.body());
    URI callback = URI.create(provider.headers().firstValue("Location").orElseThrow());
    String cookieHeader = sameBrowser ? flowCookie : "tether_sso=" + "x".repeat(43);
    HttpResponse<String> back = get(callback.toString(), Map.of("Cookie", cookieHeader));
    assertEquals(303, back.statusCode(), "the callback redirects: " + back.body());
    return new Callback(location(back), cookie(back, "tether_session"), callback, cookieHeader);
  }

  /** The redirect's target within the portal (JAX-RS makes it absolute). */
  private static String location(HttpResponse<String> r) {
    String at = r.headers().firstValue("Location").orElseThrow();
    return at.startsWith(portal.baseUrl()) ? at.substring(portal.baseUrl().length()) : at;
  }

  private static String cookie(HttpResponse<String> r, String name) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "=") && !c.startsWith(name + "=;"))
        .map(c -> c.substring(0, c.indexOf(';')))
        .filter(c -> c.length() > name.length() + 1)
        .findFirst()
        .orElse(null);
  }

  private static HttpResponse<String> get(String url, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    headers.forEach(b::header);
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefused(String location, String reason) {
    assertRefused(location, reason, "corp");
  }

  private static void assertRefused(String location, String reason, String provider) {
    assertTrue(
        location.startsWith("/sign-in?sso=" + reason + "&provider=" + provider),
        "refused with a page saying why (" + reason + "): " + location);
  }

  private static void assertAudited(PortalApi admin, String detail) {
    assertTrue(
        audit(admin, "auth.login").stream()
            .anyMatch(
                e ->
                    e.path("outcome").asText().equals("denied")
                        && e.path("detail").asText().contains(detail)),
        "a denied auth.login entry saying '" + detail + "'");
  }

  private static List<JsonNode> audit(PortalApi admin, String action) {
    JsonNode page = admin.get("/api/audit?action=" + action + "&limit=200");
    return StreamSupport.stream(page.get("items").spliterator(), false).toList();
  }

  private static JsonNode user(PortalApi admin, String username) {
    JsonNode page = admin.get("/api/users?limit=200");
    for (JsonNode u : page.get("items")) {
      if (u.get("username").asText().equals(username)) {
        return u;
      }
    }
    throw new AssertionError("no user " + username);
  }

  /** "group=role source" for each grant; source "admin" for an admin's. */
  private static Set<String> grants(PortalApi admin, long userId) {
    JsonNode page = admin.get("/api/users/" + userId + "/grants");
    return StreamSupport.stream(page.get("items").spliterator(), false)
        .map(
            g ->
                g.get("group").asText()
                    + "="
                    + g.get("role").asText()
                    + " "
                    + (g.get("source").isNull() ? "admin" : g.get("source").asText()))
        .collect(Collectors.toSet());
  }

  static {
    assertFalse(idp.issuer("corp").isEmpty());
  }
}
