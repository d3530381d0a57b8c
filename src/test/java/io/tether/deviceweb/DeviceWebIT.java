package io.tether.deviceweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.Ports;
import io.tether.testing.Started;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Device web pages (issue #21) with real processes: a device's web server behind a real agent,
 * reached through the portal on an origin of its own ({@code d-<id>.web.localhost}), by a client
 * that sends the Host a browser would.
 */
class DeviceWebIT {
  private static final String WEB = "web.localhost";

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "device-web",
          Map.of(
              "TETHER_PUBLIC_URL",
              "http://127.0.0.1:" + PortalProcess.HTTP_PORT,
              "TETHER_WEB_DOMAIN",
              "http://" + WEB + ":" + PortalProcess.HTTP_PORT,
              "TETHER_WEB_DOMAIN_INSECURE_LOOPBACK_FOR_TESTS",
              "true",
              "TETHER_TRUSTED_PROXIES",
              "127.0.0.1"));

  private static final Started started = new Started();
  private static DeviceWebApp app;
  private static AnswersOnce answersOnce;
  private static long device;
  private static String group;

  @BeforeAll
  static void deviceWithAWebPage() throws Exception {
    app = started.add(new DeviceWebApp());
    answersOnce = started.add(new AnswersOnce());
    int tlsPort = app.serveTls();
    PortalApi admin = portal.admin();
    group = PortalApi.unique("grp");
    admin.post("/api/groups", Map.of("name", group));
    JsonNode created =
        admin.post("/api/devices", Map.of("name", PortalApi.unique("router"), "group", group));
    device = created.get("id").asLong();
    AgentProcess agent =
        started.add(
            AgentProcess.create(
                created.get("name").asText(),
                portal.tunnelUrl(),
                created.get("token").asText(),
                List.of(
                    "ui=tcp:" + app.address(),
                    "secure=tcp:127.0.0.1:" + tlsPort,
                    "gone=tcp:127.0.0.1:" + Ports.free(), // nothing listens there
                    "once=tcp:127.0.0.1:" + answersOnce.port()),
                List.of()));
    agent.start();
    Await.until(
        "device online",
        Duration.ofSeconds(30),
        () -> admin.get("/api/devices/" + device).get("online").asBoolean());
    PortalApi.expect(
        200,
        admin.request(
            "PATCH",
            "/api/devices/" + device,
            Map.of(
                "webTargets",
                Map.of(
                    "ui",
                    Map.of("scheme", "http"),
                    "secure",
                    Map.of("scheme", "https"),
                    "gone",
                    Map.of("scheme", "http"),
                    "once",
                    Map.of("scheme", "http")))),
        "mark ui, secure, gone and once as web");
  }

  @AfterAll
  static void stop() {
    started.close();
  }

  /** A launch URL for {@code user}: its host (with port) and path. */
  static URI launch(PortalApi user) {
    return launch(user, "ui");
  }

  static URI launch(PortalApi user, String target) {
    JsonNode r =
        PortalApi.expect(
            200,
            user.request("POST", "/api/devices/" + device + "/web/" + target + "/launch", Map.of()),
            "launch");
    return URI.create(r.get("url").asText());
  }

  static RawHttp.Response get(URI at, String path, Map<String, String> headers) throws Exception {
    return RawHttp.send(portal.httpPort(), hostOf(at), "GET", path, headers, null);
  }

  static String hostOf(URI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  /** Follows a launch URL; answers the device-web cookie ("name=value"). */
  static String cookieFrom(URI launch) throws Exception {
    RawHttp.Response r = get(launch, launch.getRawPath() + "?" + launch.getRawQuery(), Map.of());
    assertEquals(200, r.status(), "the launch page: " + r.text());
    String set = r.header("Set-Cookie").orElseThrow();
    assertTrue(
        set.startsWith(HeaderRules.COOKIE + "=")
            && set.contains("Secure")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Strict")
            && !set.contains("Domain"),
        "a __Host- cookie, Secure, HttpOnly, SameSite=Strict: " + set);
    assertTrue(r.text().contains("location.replace('/')"), "navigates to / from its origin");
    return set.substring(0, set.indexOf(';'));
  }

  @Test
  void aWebTargetGetsAnUnguessableHostOfItsOwnAndUnknownHostsGet421() throws Exception {
    URI at = launch(portal.admin());
    String label = at.getHost().substring(0, at.getHost().indexOf('.'));
    assertTrue(label.matches("d-[0-9a-v]{26}"), "128 random bits in base32: " + label);
    assertEquals(label, launch(portal.admin()).getHost().split("\\.")[0], "fixed per target");
    for (String host :
        List.of(
            "d-" + "a".repeat(26) + "." + WEB, WEB, "x." + label + "." + WEB, "portal." + WEB)) {
      RawHttp.Response r =
          RawHttp.send(
              portal.httpPort(), host + ":" + portal.httpPort(), "GET", "/", Map.of(), null);
      assertEquals(421, r.status(), host + " is no device page: " + r.text());
    }
    // Caddy's on-demand TLS asks before it gets a certificate: only for existing ids
    assertEquals(
        200, portal.process().get("/api/web-hosts/check?domain=" + at.getHost()).statusCode());
    assertEquals(
        404,
        portal
            .process()
            .get("/api/web-hosts/check?domain=d-" + "a".repeat(26) + "." + WEB)
            .statusCode());
    // portal routes never answer on a device's host: no API, no SPA, no terminal socket
    for (String path : List.of("/api/me", "/", "/devices", "/api/terminal")) {
      RawHttp.Response r = get(at, path, Map.of("Cookie", portal.admin().cookie()));
      assertEquals(403, r.status(), path + " on a device host: " + r.text());
      assertFalse(r.text().contains("csrfToken") || r.text().contains("<script"), r.text());
    }
  }

  @Test
  void aTargetTheDeviceRefusesGetsAPageWithTheDevicesReason() throws Exception {
    URI at = launch(portal.admin(), "gone");
    RawHttp.Response page = get(at, "/", Map.of("Cookie", cookieFrom(at)));
    assertEquals(502, page.status(), page.text());
    assertTrue(
        page.text().contains("The device did not open its web page")
            && page.text().contains("target-unavailable"),
        "the page says the device refused and why: " + page.text());
  }

  /**
   * Rule: HTTP keep-alive reaches the device for one device-web session, never across sessions: a
   * browser connection's requests share one device connection; another session's request, while
   * that connection waits idle, opens its own.
   */
  @Test
  void aSessionsRequestsShareADeviceConnectionThatNoOtherSessionGets() throws Exception {
    URI at = launch(portal.admin());
    String cookie = cookieFrom(at);
    int before = app.connections();
    try (RawHttp.KeepAlive browser = new RawHttp.KeepAlive(portal.httpPort(), hostOf(at))) {
      for (int i = 0; i < 5; i++) {
        RawHttp.Response r = browser.get("/", Map.of("Cookie", cookie));
        assertTrue(r.status() == 200 && r.text().contains("device home"), r.text());
      }
    }
    assertEquals(
        before + 1, app.connections(), "five requests of one session, one device connection");
    URI other = launch(portal.admin()); // a second page: a device-web session of its own
    RawHttp.Response r = get(other, "/", Map.of("Cookie", cookieFrom(other)));
    assertEquals(200, r.status(), r.text());
    assertEquals(
        before + 2,
        app.connections(),
        "another session never gets the first one's idle connection (it waits "
            + IdleChannels.IDLE_MILLIS
            + " ms)");
  }

  /**
   * Rule: a kept device connection that the device closes as the next request goes out costs the
   * browser nothing: that request (safe to repeat) is sent again on a new connection.
   */
  @Test
  void aKeptConnectionTheDeviceClosesUnderARequestIsRetriedOnANewOne() throws Exception {
    URI at = launch(portal.admin(), "once");
    String cookie = cookieFrom(at);
    try (RawHttp.KeepAlive browser = new RawHttp.KeepAlive(portal.httpPort(), hostOf(at))) {
      RawHttp.Response first = browser.get("/a", Map.of("Cookie", cookie));
      assertEquals("answer 1", first.text());
      RawHttp.Response second = browser.get("/b", Map.of("Cookie", cookie));
      assertEquals(200, second.status(), second.text());
      assertEquals("answer 2", second.text(), "sent again on the device's second connection");
    }
    assertEquals(2, answersOnce.connections());
  }

  @Test
  void aLaunchUrlWorksOnceWithinItsMinute() throws Exception {
    URI first = launch(portal.admin());
    cookieFrom(first);
    RawHttp.Response again = get(first, first.getRawPath() + "?" + first.getRawQuery(), Map.of());
    assertEquals(403, again.status(), "used twice: " + again.text());
    assertTrue(again.text().contains("already used or has expired"), again.text());

    URI late = launch(portal.admin());
    try (Connection db = portal.process().jdbc()) {
      db.createStatement()
          .executeUpdate(
              "update device_web_launches set expires_at = now() - interval '1 second'"
                  + " where used_at is null");
    }
    RawHttp.Response expired = get(late, late.getRawPath() + "?" + late.getRawQuery(), Map.of());
    assertEquals(403, expired.status(), "expired: " + expired.text());
  }

  @Test
  void theDevicePageWorksOnItsOwnOriginWithItsCookiesRedirectsAndBasicAuth() throws Exception {
    URI at = launch(portal.admin());
    String cookie = cookieFrom(at);
    String origin = "http://" + hostOf(at);

    RawHttp.Response home = get(at, "/", Map.of("Cookie", cookie));
    assertEquals(200, home.status(), home.text());
    assertTrue(home.text().contains("device home"), home.text());
    assertEquals("no-referrer", home.header("Referrer-Policy").orElse(null));

    byte[] form = "user=admin&password=secret".getBytes(StandardCharsets.UTF_8);
    RawHttp.Response login =
        RawHttp.send(
            portal.httpPort(),
            hostOf(at),
            "POST",
            "/login",
            Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"),
            body(form));
    assertEquals(302, login.status(), login.text());
    assertEquals(
        origin + "/home?from=login",
        login.header("Location").orElse(null),
        "a redirect to the device's own address stays on its origin");
    List<String> set = login.all("Set-Cookie");
    assertEquals(List.of("devsess=abc; Path=/"), set, "Domain= removed, Tether's names dropped");

    RawHttp.Response page =
        get(
            at,
            "/home?from=login",
            Map.of("Cookie", cookie + "; devsess=abc; " + portal.admin().cookie()));
    assertEquals(200, page.status(), page.text());
    assertTrue(page.text().contains("welcome"), page.text());
    assertTrue(
        page.text().contains("cookies: devsess=abc\n"),
        "no Tether cookie reaches the device: " + page.text());
    assertTrue(
        page.text().contains("host: " + app.address()),
        "Host as the device expects: " + page.text());

    RawHttp.Response noAuth = get(at, "/basic", Map.of("Cookie", cookie));
    assertEquals(401, noAuth.status());
    assertEquals("Basic realm=\"device\"", noAuth.header("WWW-Authenticate").orElse(null));
    RawHttp.Response basic =
        get(at, "/basic", Map.of("Cookie", cookie, "Authorization", DeviceWebApp.BASIC));
    assertEquals(200, basic.status(), basic.text());
  }

  @Test
  void twentyMebibytesEachWayArriveIntact() throws Exception {
    URI at = launch(portal.admin());
    String cookie = cookieFrom(at);
    String expected = DeviceWebApp.patternSha();
    RawHttp.Response down = get(at, "/download", Map.of("Cookie", cookie));
    assertEquals(200, down.status());
    assertEquals(DeviceWebApp.BIG, down.length(), "all of the download");
    assertEquals(expected, down.sha256(), "the download, byte-exact");

    RawHttp.Response up =
        RawHttp.send(
            portal.httpPort(),
            hostOf(at),
            "POST",
            "/upload",
            Map.of("Cookie", cookie, "Content-Type", "application/octet-stream"),
            DeviceWebApp.patternBody());
    assertEquals(200, up.status(), up.text());
    assertEquals(DeviceWebApp.BIG + " " + expected, up.text(), "the upload, byte-exact");
  }

  @Test
  void aWebSocketPassesOnlyFromTheDeviceOriginAndClosesWhenTheUserIsRevoked() throws Exception {
    String[] op = portal.admin().newOperator(group);
    PortalApi operator = PortalApi.signIn(portal.baseUrl(), op[1], op[2]);
    URI at = launch(operator);
    String cookie = cookieFrom(at);
    String origin = "http://" + hostOf(at);

    try (Socket foreign = upgrade(at, cookie, "http://127.0.0.1:" + portal.httpPort())) {
      String head = RawHttp.readHead(foreign.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 403"), "the portal's origin is refused: " + head);
    }
    try (Socket ws = upgrade(at, cookie, origin)) {
      String head = RawHttp.readHead(ws.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 101"), "upgraded: " + head);
      RawHttp.sendText(ws.getOutputStream(), "hello device");
      assertEquals(
          "hello device", RawHttp.readText(ws.getInputStream()), "echoed through the tunnel");

      PortalApi.expect(
          200,
          portal.admin().request("PATCH", "/api/users/" + op[0], Map.of("disabled", true)),
          "disable the operator");
      assertEquals(-1, ws.getInputStream().read(), "the proxied WebSocket closes on revocation");
    }
    RawHttp.Response after = get(at, "/", Map.of("Cookie", cookie));
    assertEquals(403, after.status(), "the next request is refused: " + after.text());
    Await.until("the session ended", Duration.ofSeconds(10), () -> endReasons(op[0]).size() == 1);
  }

  @Test
  void signingOutEndsTheDevicePageSessionAndAuditsItsBytes() throws Exception {
    String[] op = portal.admin().newOperator(group);
    PortalApi operator = PortalApi.signIn(portal.baseUrl(), op[1], op[2]);
    URI at = launch(operator);
    String cookie = cookieFrom(at);
    assertEquals(200, get(at, "/", Map.of("Cookie", cookie)).status());
    PortalApi.expect(204, operator.request("POST", "/api/auth/logout", null), "sign out");
    RawHttp.Response after = get(at, "/", Map.of("Cookie", cookie));
    assertEquals(
        403, after.status(), "signed out of the portal, out of the device page: " + after.text());
    Await.until("the session ended", Duration.ofSeconds(10), () -> endReasons(op[0]).size() == 1);
    Await.until(
        "the audit entry of the session's end with its bytes",
        Duration.ofSeconds(10),
        () ->
            portal
                .admin()
                .get("/api/audit?action=web.open&actor=" + op[1])
                .toString()
                .contains("bytes from it"));
  }

  /** How the user's device-web sessions ended (empty for those still open). */
  static List<String> endReasons(String userId) {
    try (Connection db = portal.process().jdbc();
        var rs =
            db.createStatement()
                .executeQuery(
                    "select end_reason from device_web_sessions where ended_at is not null and"
                        + " user_id = "
                        + Long.parseLong(userId))) {
      List<String> reasons = new java.util.ArrayList<>();
      while (rs.next()) {
        reasons.add(rs.getString(1));
      }
      return reasons;
    } catch (java.sql.SQLException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The web target's entry in the device's targets. */
  static JsonNode target(String name) {
    for (JsonNode t : portal.admin().get("/api/devices/" + device).get("targets")) {
      if (t.get("name").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no target " + name);
  }

  @Test
  void anHttpsTargetIsPinnedOnFirstUseAndAChangedCertificateIsRefused() throws Exception {
    URI at = launch(portal.admin(), "secure");
    String cookie = cookieFrom(at);
    RawHttp.Response first = get(at, "/", Map.of("Cookie", cookie));
    assertEquals(200, first.status(), first.text());
    assertTrue(first.text().contains("device home"), "served over TLS to the device");
    String pinned = target("secure").get("webFingerprint").asText();
    assertTrue(pinned.matches("[0-9a-f]{64}"), "pinned on first use: " + target("secure"));

    app.serveTls(); // the device now presents another certificate
    RawHttp.Response changed = get(at, "/", Map.of("Cookie", cookie));
    assertEquals(502, changed.status(), changed.text());
    String offered = target("secure").get("webOfferedFingerprint").asText();
    assertTrue(
        changed.text().contains(pinned) && changed.text().contains(offered),
        "the page shows both certificates: " + changed.text());
    assertEquals(pinned, target("secure").get("webFingerprint").asText(), "the pin holds");

    PortalApi.expect(
        200,
        portal
            .admin()
            .request(
                "PATCH",
                "/api/devices/" + device,
                Map.of("webTargets", Map.of("secure", Map.of("acceptCertificate", true)))),
        "accept the new certificate");
    RawHttp.Response accepted = get(at, "/", Map.of("Cookie", cookie));
    assertEquals(200, accepted.status(), "an admin accepted it: " + accepted.text());
  }

  @Test
  void chromiumOpensTheDevicePageOnItsOwnOriginIsolatedFromThePortal() {
    Path log = io.tether.testing.Build.workDir("deviceweb-browser").resolve("browser.log");
    String out =
        io.tether.testing.PlaywrightScript.run(
            List.of("e2e/deviceweb.mjs", "open"),
            Map.of(
                "TETHER_URL", portal.baseUrl(),
                "DEVICE_ID", Long.toString(device),
                "ADMIN_PASSWORD", PortalProcess.ADMIN_PASSWORD),
            List.of(),
            log,
            Duration.ofSeconds(120));
    assertTrue(out.contains("scenario open: passed"), out);
  }

  @Test
  void withoutTheOperateRightTheLaunchIsNotFound() {
    String viewerGroup = group;
    String username = PortalApi.unique("viewer");
    JsonNode user =
        portal
            .admin()
            .post(
                "/api/users",
                Map.of("username", username, "password", "pw-viewer-secret", "admin", false));
    portal
        .admin()
        .post(
            "/api/users/" + user.get("id").asText() + "/grants",
            Map.of("group", viewerGroup, "role", "viewer"));
    PortalApi viewer = PortalApi.signIn(portal.baseUrl(), username, "pw-viewer-secret");
    var r = viewer.request("POST", "/api/devices/" + device + "/web/ui/launch", Map.of());
    assertEquals(404, r.statusCode(), "a viewer cannot open the device's page: " + r.body());
    var bad =
        portal
            .admin()
            .request(
                "PATCH",
                "/api/devices/" + device,
                Map.of("webTargets", Map.of("ui", Map.of("scheme", "ftp"))));
    assertEquals(400, bad.statusCode(), bad.body());
    assertTrue(bad.body().contains("webTargets"), "the problem names the field: " + bad.body());
  }

  static RawHttp.Body body(byte[] bytes) {
    return new RawHttp.Body() {
      @Override
      public long length() {
        return bytes.length;
      }

      @Override
      public void writeTo(OutputStream out) throws java.io.IOException {
        out.write(bytes);
      }
    };
  }

  static Socket upgrade(URI at, String cookie, String origin) throws Exception {
    return RawHttp.upgrade(portal.httpPort(), hostOf(at), "/ws", origin, cookie);
  }
}
