package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.tether.api.CsvReader;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.Ports;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web UI in headless Chromium against the packaged portal: sign-in, the fleet, deep links,
 * errors in the API's words, device data shown as text, the admin pages, and the security headers.
 * Test data is made through the REST API; what the user sees is checked in the browser.
 */
class WebUiIT {
  // 127.0.0.1 trusted as a proxy: each browser context signs in from its own X-Forwarded-For,
  // so the per-address login limits of one scenario never throttle another
  // a real SMTP server for the e-mail alert scenario, up before the portal that is told of it;
  // a device that drops is device.offline (and mailed) after 1 s, not the default grace of 60 s
  private static final GreenMail SMTP = smtp();

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "webui",
          Map.of(
              "TETHER_TRUSTED_PROXIES", "127.0.0.1",
              "TETHER_SMTP_HOST", "127.0.0.1",
              "TETHER_SMTP_PORT", Integer.toString(SMTP.getSmtp().getPort()),
              "TETHER_SMTP_SECURITY", "none",
              "TETHER_OFFLINE_GRACE", "1s"));

  private static GreenMail smtp() {
    GreenMail smtp =
        new GreenMail(new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    return smtp;
  }

  @AfterAll
  static void stopSmtp() {
    SMTP.stop();
  }

  private static List<MimeMessage> mailTo(String address) {
    return Arrays.stream(SMTP.getReceivedMessages())
        .filter(m -> GreenMailUtil.getAddressList(recipients(m)).contains(address))
        .toList();
  }

  private static jakarta.mail.Address[] recipients(MimeMessage m) {
    try {
      return m.getAllRecipients();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MimeMessage awaitMail(String address, String subject) {
    Await.until(
        "a mail to " + address + ": " + subject,
        Duration.ofSeconds(30),
        () -> mailTo(address).stream().anyMatch(m -> subject.equals(subjectOf(m))));
    return mailTo(address).stream().filter(m -> subject.equals(subjectOf(m))).findFirst().get();
  }

  private static String subjectOf(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> env(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put("TETHER_URL", portal.baseUrl());
    env.put("ADMIN_PASSWORD", PortalProcess.ADMIN_PASSWORD);
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }

  private static JsonNode createDevice(String group, String tag, String description) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", PortalApi.unique("dev"));
    body.put("description", description);
    body.put("group", group);
    body.put("tags", List.of(tag));
    return portal.admin().post("/api/devices", body);
  }

  private static List<JsonNode> items(JsonNode page) {
    return StreamSupport.stream(page.get("items").spliterator(), false).toList();
  }

  @Test
  void signInShowsTheFleetAndDeepLinksOpenTheDevicePage() {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("hall")))
            .get("name")
            .asText();
    String tag = PortalApi.unique("tag");
    JsonNode device = createDevice(group, tag, "console server in " + group);

    BrowserScenario.run(
        "fleet",
        env(
            "DEVICE_ID",
            device.get("id").asText(),
            "DEVICE_NAME",
            device.get("name").asText(),
            "DEVICE_GROUP",
            group,
            "DEVICE_TAG",
            tag));

    for (String png : List.of("sign-in.png", "fleet.png", "device.png")) {
      assertTrue(
          Files.isRegularFile(BrowserScenario.screenshots().resolve(png)), png + " was not saved");
    }
    List<JsonNode> logouts = items(portal.admin().get("/api/audit?action=auth.logout&actor=admin"));
    assertFalse(logouts.isEmpty(), "signing out in the browser left no auth.logout audit entry");
  }

  @Test
  void aUserConfirmsTheirAddressSubscribesOnTheAccountPageAndIsMailedWhenADeviceDrops()
      throws Exception {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("alerts")))
            .get("name")
            .asText();
    String username = PortalApi.unique("alerted");
    String password = "pw-" + username;
    JsonNode user =
        portal
            .admin()
            .post("/api/users", Map.of("username", username, "password", password, "admin", false));
    portal
        .admin()
        .post(
            "/api/users/" + user.get("id").asText() + "/grants",
            Map.of("group", group, "role", "viewer"));
    JsonNode device =
        portal
            .admin()
            .post("/api/devices", Map.of("name", PortalApi.unique("drops"), "group", group));
    String address = username.toLowerCase(java.util.Locale.ROOT) + "@example.test";
    String testAddress = "admin-" + address;
    Map<String, BrowserDialogue.Handler> handlers =
        Map.of(
            "confirmationLink",
            r -> {
              String body =
                  GreenMailUtil.getBody(awaitMail(address, "[Tether] Confirm your e-mail address"));
              Matcher link =
                  Pattern.compile("https?://[^/\\s]+(/confirm-email#[\\w-]+)").matcher(body);
              assertTrue(link.find(), "the mail holds the link: " + body);
              return portal.baseUrl() + link.group(1); // the mailed host is this machine's name
            },
            "dropDeviceAndAwaitAlert",
            r -> {
              try (EchoServer echo = EchoServer.start();
                  AgentProcess agent =
                      AgentProcess.start(
                          "alerts",
                          portal.tunnelUrl(),
                          device.get("token").asText(),
                          List.of("echo=tcp:127.0.0.1:" + echo.port()),
                          List.of())) {
                agent.awaitOnline(Duration.ofSeconds(30));
              }
              MimeMessage alert =
                  awaitMail(address, "[Tether] " + device.get("name").asText() + ": went offline");
              assertTrue(
                  GreenMailUtil.getBody(alert).contains("/devices/" + device.get("id").asText()));
              return null;
            });
    BrowserDialogue.run(
        "alerts.mjs",
        "account",
        env(
            "ALERT_USERNAME", username,
            "ALERT_PASSWORD", password,
            "ALERT_ADDRESS", address,
            "ALERT_GROUP", group,
            "ALERT_DEVICE", device.get("name").asText(),
            "SMTP_SERVER", "127.0.0.1:" + SMTP.getSmtp().getPort(),
            "TEST_ADDRESS", testAddress),
        handlers,
        Duration.ofSeconds(180));
    assertEquals(1, mailTo(testAddress).size(), "the admin's test mail arrived");
  }

  @Test
  void aWrongPasswordShowsTheApiErrorText() {
    BrowserScenario.run("wrong-password", env());
  }

  @Test
  void aLockedOutSignInSaysHowLongToWait() {
    String username = PortalApi.unique("locked");
    portal
        .admin()
        .post(
            "/api/users",
            Map.of("username", username, "password", "pw-" + username, "admin", false));
    BrowserScenario.run("lockout", env("LOCK_USERNAME", username));
  }

  /** The account page lists the user's sign-ins; one signed out there ends in its browser. */
  @Test
  void theAccountPageListsEachSignInAndSignsAnotherOut() {
    String username = PortalApi.unique("signins");
    String password = "pw-" + PortalApi.unique("secret");
    portal
        .admin()
        .post("/api/users", Map.of("username", username, "password", password, "admin", false));
    BrowserScenario.run(
        "sign-ins", env("SIGNINS_USERNAME", username, "SIGNINS_PASSWORD", password));
    List<JsonNode> logouts =
        items(portal.admin().get("/api/audit?action=auth.logout&actor=" + username));
    assertEquals(1, logouts.size(), () -> "auth.logout entries: " + logouts);
  }

  /**
   * A terminal on a group that requires a second factor says why and links to the account page;
   * there the user adds TOTP (the browser script computes codes from the secret shown), signs out,
   * and signs in with the code step; then registers a security key (Chromium's virtual
   * authenticator, at localhost), signs in with it, and removes it. The portal records both.
   */
  @Test
  void aRefusedTerminalLeadsToTotpEnrolmentThenASecurityKeySignsIn() {
    String username = PortalApi.unique("mfa");
    String password = "pw-" + PortalApi.unique("secret");
    JsonNode user =
        portal
            .admin()
            .post("/api/users", Map.of("username", username, "password", password, "admin", false));
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("secure")))
            .get("name")
            .asText();
    String groupId =
        items(portal.admin().get("/api/groups")).stream()
            .filter(g -> g.get("name").asText().equals(group))
            .findFirst()
            .orElseThrow()
            .get("id")
            .asText();
    PortalApi.expect(
        200,
        portal
            .admin()
            .request(
                "PATCH",
                "/api/groups/" + groupId,
                Map.of("requireSecondFactor", true, "reauthMinutes", 5)),
        "PATCH requireSecondFactor, reauthMinutes");
    portal
        .admin()
        .post(
            "/api/users/" + user.get("id").asText() + "/grants",
            Map.of("group", group, "role", "operator"));
    JsonNode device = createDevice(group, "mfa", "behind a second factor");
    long userId = user.get("id").asLong();
    BrowserDialogue.run(
        "webui.mjs",
        "second-factor",
        env(
            "MFA_USERNAME", username,
            "MFA_PASSWORD", password,
            "MFA_GROUP", group,
            "MFA_DEVICE_ID", device.get("id").asText()),
        Map.of("ageSessionFactor", r -> portal.process().ageSessionFactors(userId, 10)),
        BrowserScenario.TIMEOUT);
    assertTrue(
        portal.admin().get("/api/users/" + user.get("id").asText()).get("secondFactor").asBoolean(),
        "the user has no active second factor after enrolling in the browser");
    List<JsonNode> logins =
        items(portal.admin().get("/api/audit?action=auth.login&actor=" + username));
    assertTrue(
        logins.stream().anyMatch(a -> a.path("detail").asText().equals("secondFactor: totp")),
        () -> "no auth.login with secondFactor: totp for " + username + ": " + logins);
    assertTrue(
        logins.stream().anyMatch(a -> a.path("detail").asText().equals("secondFactor: webauthn")),
        () -> "no auth.login with secondFactor: webauthn for " + username + ": " + logins);
    List<JsonNode> removed =
        items(portal.admin().get("/api/audit?action=user.webauthn-remove&actor=" + username));
    assertEquals(1, removed.size(), () -> "user.webauthn-remove entries: " + removed);
    assertEquals(
        0,
        portal.admin().get("/api/users/" + user.get("id").asText()).get("securityKeys").asInt(),
        "the key removed in the browser is still counted");
    assertTrue(
        items(portal.admin().get("/api/audit?action=auth.second-factor-fresh&actor=" + username))
            .stream()
            .anyMatch(a -> a.path("detail").asText().equals("secondFactor: webauthn")),
        "the terminal's step-up with the key is not audited");
  }

  @Test
  void deviceDataWithMarkupIsShownAsText() {
    String markup =
        "<img src=x onerror=\"window.__pwned=1;alert(1)\"><script>window.__pwned=2</script>";
    JsonNode device = createDevice(null, "xss", markup);
    BrowserScenario.run(
        "html-description",
        env(
            "DEVICE_ID", device.get("id").asText(),
            "DEVICE_NAME", device.get("name").asText(),
            "DEVICE_DESCRIPTION", markup));
  }

  @Test
  void anAdminCreatesAUserGrantsAGroupAndResetsThePasswordThroughTheUi() {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("lab")))
            .get("name")
            .asText();
    String username = PortalApi.unique("alice");
    String password = "pw-" + PortalApi.unique("secret");
    String resetTo = "pw-" + PortalApi.unique("reset");

    BrowserScenario.run(
        "create-user",
        env(
            "NEW_USERNAME", username,
            "NEW_PASSWORD", password,
            "RESET_PASSWORD", resetTo,
            "GRANT_GROUP", group));

    JsonNode user =
        items(portal.admin().get("/api/users?limit=200")).stream()
            .filter(u -> u.get("username").asText().equals(username))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the UI did not create " + username));
    List<JsonNode> grants =
        items(portal.admin().get("/api/users/" + user.get("id").asText() + "/grants"));
    assertEquals(1, grants.size(), () -> "grants of " + username + ": " + grants);
    assertEquals(group, grants.get(0).get("group").asText());
    assertEquals("operator", grants.get(0).get("role").asText());
    assertFalse(user.get("disabled").asBoolean(), username + " was left disabled");
    assertNotNull(
        PortalApi.signIn(portal.baseUrl(), username, resetTo), "the reset password signs in");
  }

  @Test
  void anAdminTurnsOnConsoleLoggingForAGroupOnTheGroupsPage() {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("logged")))
            .get("name")
            .asText();
    BrowserScenario.run("group-console-log", env("GROUP", group));
    JsonNode saved =
        items(portal.admin().get("/api/groups")).stream()
            .filter(g -> g.get("name").asText().equals(group))
            .findFirst()
            .orElseThrow();
    assertEquals("always", saved.get("consoleLog").asText(), saved.toString());
    assertEquals(16L * 1024 * 1024, saved.get("consoleLogMaxBytes").asLong(), saved.toString());
    assertEquals(7, saved.get("consoleLogDays").asInt(), saved.toString());
  }

  @Test
  void adminPagesManageTokensAndDevices() {
    String deviceName = PortalApi.unique("dev-ui");
    BrowserScenario.run(
        "admin-pages", env("TOKEN_NAME", PortalApi.unique("ci"), "NEW_DEVICE_NAME", deviceName));
    boolean stillListed =
        items(portal.admin().get("/api/devices?limit=200&name=" + deviceName)).stream()
            .anyMatch(d -> d.get("name").asText().equals(deviceName));
    assertFalse(stillListed, deviceName + " was deleted in the UI but is still listed");
  }

  /**
   * An admin imports two devices from CSV in the browser at 375 px: the check names the bad row,
   * the import takes the group's defaults, and a token from the downloaded file connects an agent.
   */
  @Test
  void csvImportInTheBrowserCreatesDevicesWhoseTokensConnect() throws Exception {
    JsonNode site = portal.admin().post("/api/groups", Map.of("name", PortalApi.unique("site")));
    String group = site.get("name").asText();
    PortalApi.expect(
        200,
        portal
            .admin()
            .request(
                "PATCH",
                "/api/groups/" + site.get("id").asText(),
                Map.of("defaultEncoding", "cp437", "defaultTags", List.of("site-a"))),
        "PATCH group defaults");
    String prefix = PortalApi.unique("csv");
    Path tokensFile = Build.workDir("csv-import").resolve("tether-device-tokens.csv");
    BrowserScenario.run(
        "csv-import",
        env("IMPORT_PREFIX", prefix, "IMPORT_GROUP", group, "TOKENS_OUT", tokensFile.toString()));

    List<CsvReader.Record> rows = CsvReader.read(Files.readAllBytes(tokensFile));
    assertEquals(3, rows.size(), "a header and two devices: " + rows);
    for (CsvReader.Record row : rows.subList(1, rows.size())) {
      JsonNode device = portal.admin().get("/api/devices/" + row.cells().get(1));
      assertEquals(row.cells().get(0), device.get("name").asText());
      assertEquals(group, device.get("group").asText());
      assertEquals("cp437", device.get("encoding").asText(), "the group's default encoding");
      assertEquals("site-a", device.get("tags").get(0).asText(), "the group's default tag first");
    }
    String id = rows.get(1).cells().get(1);
    try (EchoServer echo = EchoServer.start();
        AgentProcess agent =
            AgentProcess.start(
                "csv-import",
                portal.tunnelUrl(),
                rows.get(1).cells().get(2),
                List.of("echo=tcp:127.0.0.1:" + echo.port()),
                List.of())) {
      agent.awaitOnline(Duration.ofSeconds(30));
      Await.until(
          "the imported device to be online",
          Duration.ofSeconds(30),
          () -> portal.client().online(Long.parseLong(id)));
    }
  }

  @Test
  void everyResponseCarriesTheSecurityHeadersAndDeepLinksServeTheApp() throws IOException {
    Map<String, String> html = Map.of("Accept", "text/html,application/xhtml+xml");
    HttpResponse<String> deepLink =
        PortalApi.send(portal.baseUrl(), "GET", "/devices/12345", null, html);
    assertEquals(200, deepLink.statusCode(), "a deep link answers the app");
    assertTrue(deepLink.body().contains("<div id=\"app\">"), deepLink.body());
    String csp = deepLink.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("nosniff", deepLink.headers().firstValue("X-Content-Type-Options").orElse(null));
    assertEquals("DENY", deepLink.headers().firstValue("X-Frame-Options").orElse(null));
    assertEquals("no-referrer", deepLink.headers().firstValue("Referrer-Policy").orElse(null));

    HttpResponse<String> api = PortalApi.send(portal.baseUrl(), "GET", "/api/nope", null, html);
    assertEquals(404, api.statusCode(), "unknown API paths stay 404, never the app");
    assertTrue(
        api.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertEquals("no-store", api.headers().firstValue("Cache-Control").orElse(null));
    assertTrue(
        api.headers().firstValue("Content-Security-Policy").isPresent(), "CSP on API answers");

    Matcher script = Pattern.compile("/assets/[^\"]+\\.js").matcher(deepLink.body());
    assertTrue(script.find(), "index.html loads no script: " + deepLink.body());
    HttpResponse<String> asset =
        PortalApi.send(portal.baseUrl(), "GET", script.group(), null, Map.of());
    assertEquals(200, asset.statusCode());
    assertEquals(
        SecurityHeaders.IMMUTABLE, asset.headers().firstValue("Cache-Control").orElse(null));
  }
}
