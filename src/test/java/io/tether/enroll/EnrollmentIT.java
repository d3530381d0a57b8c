package io.tether.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.session.TerminalClient;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PtyTap;
import io.tether.testing.SocatPty;
import io.tether.testing.Started;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Self-enrollment with real processes: the packaged portal, agents that enroll with an enrollment
 * token (from a file or standard input) and a socat PTY as each device's serial port. A group's
 * console rules are managed on the same portal (one portal start for the group admin API).
 */
class EnrollmentIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("enrollment");

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  private static String newGroup() {
    return portal
        .admin()
        .post("/api/groups", Map.of("name", PortalApi.unique("site")))
        .get("name")
        .asText();
  }

  /** A token for {@code group}: {@code uses} devices, plus any of {@code extra}; its value. */
  private static JsonNode mint(String group, int uses, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("group", group);
    body.put("uses", uses);
    return PortalApi.expect(
        201, portal.admin().request("POST", "/api/enrollment-tokens", body), "mint a token");
  }

  /** A device's serial console: a socat PTY and the test's end of it. */
  private record Line(SocatPty pty, PtyTap tap) {
    String target() {
      return "console=serial:" + pty.devicePath() + "?baud=115200";
    }
  }

  private Line line() {
    SocatPty pty = started.add(SocatPty.open());
    return new Line(pty, started.add(PtyTap.open(pty)));
  }

  private AgentProcess enrolling(String token, String name, Line line, boolean onStdin) {
    return started.add(
        AgentProcess.enrolling(
            name, portal.tunnelUrl(), token, name, List.of(line.target()), onStdin));
  }

  private static List<JsonNode> devices(String query) {
    List<JsonNode> out = new ArrayList<>();
    portal.admin().get("/api/devices?" + query).get("items").forEach(out::add);
    return out;
  }

  private static JsonNode pendingNamed(String group, String name) {
    return devices("state=pending&group=" + group).stream()
        .filter(d -> d.get("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not listed as pending"));
  }

  /** The HTTP status a terminal WebSocket to the device is refused with; 101 when it opens. */
  private static int terminalStatus(long device) throws Exception {
    String url =
        portal.baseUrl().replaceFirst("^http", "ws")
            + "/api/devices/"
            + device
            + "/terminal?target=console";
    try {
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Origin", portal.baseUrl())
              .header("Cookie", portal.admin().cookie())
              .buildAsync(URI.create(url), new WebSocket.Listener() {})
              .get(10, TimeUnit.SECONDS);
      ws.abort();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  /** What anyone on this machine sees of the agent process in ps: its command line. */
  private static String commandLine(AgentProcess agent) throws IOException {
    return new String(
            Files.readAllBytes(Path.of("/proc/" + agent.process().pid() + "/cmdline")),
            StandardCharsets.UTF_8)
        .replace('\0', ' ');
  }

  private static void awaitExit(AgentProcess agent) {
    assertTrue(agent.process().waitFor(WAIT), "the refused agent keeps running:\n" + agent.log());
  }

  private static List<JsonNode> audit(String action, long device) {
    List<JsonNode> out = new ArrayList<>();
    portal
        .admin()
        .get("/api/audit?action=" + action + "&device=" + device)
        .get("items")
        .forEach(out::add);
    return out;
  }

  @Test
  void oneTokenEnrollsTwoAgentsThatStayUnreachableUntilAnAdminApproves() throws Exception {
    String group = newGroup();
    String token = mint(group, 2, Map.of("tags", List.of("hall-3"))).get("token").asText();
    Line lineA = line();
    Line lineB = line();
    String nameA = PortalApi.unique("gw-a");
    String nameB = PortalApi.unique("gw-b");
    AgentProcess a = enrolling(token, nameA, lineA, false).start();
    AgentProcess b = enrolling(token, nameB, lineB, true).start();
    a.awaitLog(AgentProcess.ENROLLED, WAIT);
    b.awaitLog(AgentProcess.ENROLLED, WAIT);
    assertTrue(a.log().contains("pending until an admin approves it"), a.log());
    a.awaitOnline(WAIT);
    b.awaitOnline(WAIT);

    // the token never shows in ps, and the device token the agent kept is its user's alone
    for (AgentProcess agent : List.of(a, b)) {
      assertFalse(commandLine(agent).contains(token), commandLine(agent));
      assertFalse(commandLine(agent).contains("ten_"), commandLine(agent));
    }
    Path kept = Path.of(a.defaultStateDir(), "device-token");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));

    // both wait for approval with what their agents reported; the fleet does not list them
    Await.until(
        "both pending devices online",
        WAIT,
        () ->
            pendingNamed(group, nameA).get("online").asBoolean()
                && pendingNamed(group, nameB).get("online").asBoolean());
    JsonNode pendingA = pendingNamed(group, nameA);
    assertEquals("pending", pendingA.get("state").asText());
    assertEquals("hall-3", pendingA.get("tags").get(0).asText());
    assertEquals("console", pendingA.get("targets").get(0).get("name").asText());
    assertEquals("serial", pendingA.get("targets").get(0).get("kind").asText());
    assertEquals(AgentProcess.jarVersion(), pendingA.get("agentVersion").asText());
    assertTrue(pendingA.get("remoteAddress").asText().startsWith("127.0.0.1"), pendingA.toString());
    assertTrue(devices("group=" + group).isEmpty(), "the fleet lists pending devices");
    long idA = pendingA.get("id").asLong();
    long idB = pendingNamed(group, nameB).get("id").asLong();

    // nobody reaches a pending device, not even an admin: terminal, forward, link port
    assertEquals(404, terminalStatus(idA), "a terminal to a pending device");
    PortalApi.expect(
        404,
        portal
            .admin()
            .request("GET", "/api/forward/check?device=" + nameA + "&target=console", null),
        "the CLI's forward check for a pending device");
    PortalApi.expect(
        409,
        portal
            .admin()
            .request(
                "POST",
                "/api/devices/" + idA + "/links",
                Map.of("target", "console", "allowCidrs", List.of("127.0.0.1/32"))),
        "a link port for a pending device");

    // a third use of a two-use token is refused, and the agent says why in one line
    AgentProcess c = enrolling(token, PortalApi.unique("gw-c"), line(), false).start();
    awaitExit(c);
    assertEquals(3, c.process().exitCode(), c.log());
    assertTrue(
        c.log()
            .contains(
                "tether-agent: enrollment refused (401): the enrollment token has been used its 2"
                    + " time(s)"),
        c.log());

    // approval makes it reachable: a typed line reaches the serial port, its answer the terminal
    JsonNode approved =
        PortalApi.expect(
            200,
            portal.admin().request("POST", "/api/devices/" + idA + "/approve", null),
            "approve");
    assertEquals("active", approved.get("state").asText());
    assertTrue(
        devices("group=" + group).stream().anyMatch(d -> d.get("id").asLong() == idA),
        "the approved device is in the fleet");
    TerminalClient t =
        started.add(TerminalClient.terminal(portal.baseUrl(), portal.admin(), idA, "console"));
    t.awaitLive();
    byte[] typed = "uname\r".getBytes(StandardCharsets.US_ASCII);
    t.type(typed);
    lineA.tap().expect(typed, WAIT);
    byte[] answer = "Linux gw\r\n".getBytes(StandardCharsets.US_ASCII);
    lineA.tap().write(answer);
    t.awaitReceived(answer, WAIT);

    // rejection removes the other one and disconnects its agent for good
    PortalApi.expect(
        204, portal.admin().request("POST", "/api/devices/" + idB + "/reject", null), "reject");
    PortalApi.expect(
        404, portal.admin().request("GET", "/api/devices/" + idB, null), "a rejected device");
    b.awaitLog("tunnel closed (4002 revoked: device rejected)", WAIT);

    JsonNode listed = tokenView(token);
    assertEquals(2, listed.get("used").asInt());
    assertEquals("used-up", listed.get("state").asText());
    assertEquals(1, audit("device.enroll", idA).size());
    assertEquals(1, audit("device.approve", idA).size());
    assertEquals(1, audit("device.reject", idB).size());
  }

  /** The listed view of a token by its value's public part. */
  private static JsonNode tokenView(String token) {
    String prefix = token.substring(0, "ten_".length() + 12);
    for (JsonNode t : portal.admin().get("/api/enrollment-tokens?limit=200").get("items")) {
      if (t.get("prefix").asText().equals(prefix)) {
        return t;
      }
    }
    throw new AssertionError("no token " + prefix + " listed");
  }

  @Test
  void anAdminCreatesListsAndDeletesConsoleRulesABadPatternIsNamedAndNonAdminsAreRefused() {
    String group = newGroup();
    String path = "/api/groups/" + group + "/console-rules";
    PortalApi admin = portal.admin();
    JsonNode created =
        admin.post(
            path,
            Map.of(
                "name",
                "kernel panic",
                "pattern",
                "Kernel panic",
                "severity",
                "critical",
                "cooldownSeconds",
                600));
    long id = created.get("id").asLong();
    JsonNode listed = admin.get(path).get("items");
    assertEquals(1, listed.size(), listed.toString());
    JsonNode rule = listed.get(0);
    assertEquals(id, rule.get("id").asLong());
    assertEquals("kernel panic", rule.get("name").asText());
    assertEquals("Kernel panic", rule.get("pattern").asText());
    assertEquals("critical", rule.get("severity").asText());
    assertEquals(600, rule.get("cooldownSeconds").asInt());
    assertTrue(rule.hasNonNull("createdAt"), rule.toString());

    HttpResponse<String> bad =
        admin.request("POST", path, Map.of("name", "broken", "pattern", "Kernel (panic"));
    JsonNode problem = PortalApi.expect(400, bad, "POST a pattern that does not compile");
    assertEquals("pattern", problem.path("field").asText(), problem.toString());
    assertTrue(problem.path("detail").asText().contains("missing closing )"), problem.toString());
    assertTrue(
        bad.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

    String username = PortalApi.unique("viewer");
    admin.post("/api/users", Map.of("username", username, "password", "abcdefgh1", "admin", false));
    PortalApi user = PortalApi.signIn(portal.baseUrl(), username, "abcdefgh1");
    PortalApi.expect(403, user.request("GET", path, null), "a non-admin lists rules");
    PortalApi.expect(
        403,
        user.request("POST", path, Map.of("name", "mine", "pattern", "x")),
        "a non-admin adds a rule");
    PortalApi.expect(
        403, user.request("DELETE", path + "/" + id, null), "a non-admin deletes a rule");

    PortalApi.expect(204, admin.request("DELETE", path + "/" + id, null), "delete the rule");
    assertEquals(0, admin.get(path).get("items").size(), "rules after the delete");
    PortalApi.expect(
        404, admin.request("DELETE", path + "/" + id, null), "delete the deleted rule");
    for (String action : List.of("console-rule.create", "console-rule.delete")) {
      JsonNode entries = admin.get("/api/audit?action=" + action).get("items");
      boolean found = false;
      for (JsonNode e : entries) {
        found |= group.equals(e.path("subject").asText());
      }
      assertTrue(found, action + " of group " + group + " not audited: " + entries);
    }
  }

  @Test
  void revokedExpiredAndUnknownTokensAreRefusedWithTheReason() throws Exception {
    String group = newGroup();
    JsonNode revoked = mint(group, 5, Map.of());
    PortalApi.expect(
        204,
        portal
            .admin()
            .request("DELETE", "/api/enrollment-tokens/" + revoked.get("id").asLong(), null),
        "revoke");
    JsonNode expired = mint(group, 5, Map.of("expiresIn", "1h"));
    try (Connection db = portal.process().jdbc();
        PreparedStatement s =
            db.prepareStatement(
                "update enrollment_tokens set expires_at = now() - interval '1 second'"
                    + " where id = ?")) {
      s.setLong(1, expired.get("id").asLong());
      assertEquals(1, s.executeUpdate());
    }
    Map<String, String> cases =
        Map.of(
            revoked.get("token").asText(),
            "the enrollment token was revoked",
            expired.get("token").asText(),
            "the enrollment token expired at ",
            "ten_0123456789ab_" + "x".repeat(43),
            "the enrollment token is not valid");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      AgentProcess agent = enrolling(c.getKey(), PortalApi.unique("gw"), line(), false).start();
      awaitExit(agent);
      assertEquals(3, agent.process().exitCode(), agent.log());
      assertTrue(
          agent.log().contains("tether-agent: enrollment refused (401): " + c.getValue()),
          agent.log());
      assertFalse(agent.log().contains(c.getKey()), "the agent logged the token");
    }
    assertTrue(devices("state=pending&group=" + group).isEmpty());
    assertEquals("revoked", tokenView(revoked.get("token").asText()).get("state").asText());
    assertEquals("expired", tokenView(expired.get("token").asText()).get("state").asText());
  }

  @Test
  void aTakenNameIsAnsweredClearlyAndTheUseIsNotCounted() throws Exception {
    String group = newGroup();
    String taken = PortalApi.unique("gw");
    portal.admin().post("/api/devices", Map.of("name", taken, "group", group));
    String token = mint(group, 1, Map.of()).get("token").asText();

    AgentProcess agent = enrolling(token, taken, line(), false).start();
    awaitExit(agent);

    assertEquals(3, agent.process().exitCode(), agent.log());
    assertTrue(
        agent.log().contains("enrollment refused (409): a device named '" + taken + "' exists"),
        agent.log());
    assertEquals(0, tokenView(token).get("used").asInt());
  }

  @Test
  void anAutoApprovedDeviceIsReachableAtOnceAndRestartsOnItsOwnToken() throws Exception {
    String group = newGroup();
    JsonNode minted = mint(group, 1, Map.of("autoApprove", true));
    String token = minted.get("token").asText();
    String name = PortalApi.unique("gw");
    Line line = line();
    AgentProcess agent = enrolling(token, name, line, false).start();
    agent.awaitLog(AgentProcess.ENROLLED, WAIT);
    agent.awaitOnline(WAIT);
    JsonNode device =
        devices("group=" + group).stream()
            .filter(d -> d.get("name").asText().equals(name))
            .findFirst()
            .orElseThrow();
    assertEquals("active", device.get("state").asText());
    assertEquals(101, terminalStatus(device.get("id").asLong()));

    // the enrollment token is gone and revoked: the agent restarts on the token it kept
    agent.close();
    Files.delete(agent.enrollTokenFile());
    PortalApi.expect(
        204,
        portal
            .admin()
            .request("DELETE", "/api/enrollment-tokens/" + minted.get("id").asLong(), null),
        "revoke");
    agent.start().awaitOnline(WAIT);
    assertFalse(agent.log().contains("enrolled as"), agent.log());
    assertEquals(1, tokenView(token).get("used").asInt());
  }
}
