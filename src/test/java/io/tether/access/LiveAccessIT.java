package io.tether.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.session.TerminalClient;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.EventStream;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Access follows every change of rights on every live socket (terminal, event stream, forward),
 * with real processes: the packaged portal, an agent with a TCP echo target, tether-cli.
 */
class LiveAccessIT {
  /**
   * Rights change by an event, not a poll: the socket closes in milliseconds. The bound leaves room
   * for a loaded 2-core machine; without the event (the bug) it never closes.
   */
  private static final Duration CLOSES_WITHIN = Duration.ofSeconds(2);

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PASSWORD = "password-for-tests";

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("live-access", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  /** A new admin user (made by the bootstrap admin); its id. */
  private static long newAdmin(String name) {
    return portal
        .admin()
        .post("/api/users", Map.of("username", name, "password", PASSWORD, "admin", true))
        .get("id")
        .asLong();
  }

  private static void demote(long userId) {
    PortalApi.expect(
        200,
        portal.admin().request("PATCH", "/api/users/" + userId, Map.of("admin", false)),
        "PATCH admin=false");
  }

  private TerminalClient terminal(PortalApi user, long device) {
    TerminalClient c = TerminalClient.terminal(portal.baseUrl(), user, device, "echo");
    started.add(c);
    return c.awaitLive();
  }

  @Test
  void aDemotedAdminsTerminalAndEventStreamCloseAtOnce() {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("g")))
            .get("name")
            .asText();
    long device = TestDevices.echo(portal.process(), portal.admin(), group, started::add).id();
    String name = PortalApi.unique("adm");
    long id = newAdmin(name);
    PortalApi user = PortalApi.signIn(portal.baseUrl(), name, PASSWORD);
    TerminalClient t = terminal(user, device);
    EventStream events = EventStream.open(portal.baseUrl(), user);
    started.add(events);

    demote(id);

    String closed = t.awaitClosed(CLOSES_WITHIN);
    assertTrue(closed.contains("access-revoked"), "the terminal's close: " + closed);
    events.awaitEnd(CLOSES_WITHIN);
    PortalApi.expect(
        404,
        user.request("GET", "/api/devices/" + device, null),
        "the device after the demotion (REST)");
  }

  @Test
  void aGrantRemovedAfterADemotionEndsTheTerminal() {
    long device = TestDevices.echo(portal.process(), portal.admin(), null, started::add).id();
    String name = PortalApi.unique("adm");
    long id = newAdmin(name);
    JsonNode grant =
        portal
            .admin()
            .post("/api/users/" + id + "/grants", Map.of("group", "default", "role", "operator"));
    PortalApi user = PortalApi.signIn(portal.baseUrl(), name, PASSWORD);
    TerminalClient t = terminal(user, device);

    demote(id);
    byte[] hello = "still here\n".getBytes(StandardCharsets.UTF_8);
    t.type(hello);
    t.awaitReceived(hello, WAIT); // the grant still allows operating: the terminal stays

    PortalApi.expect(
        204,
        portal
            .admin()
            .request("DELETE", "/api/users/" + id + "/grants/" + grant.get("id").asLong(), null),
        "DELETE the grant");
    String closed = t.awaitClosed(CLOSES_WITHIN);
    assertTrue(closed.contains("access-revoked"), "the terminal's close: " + closed);
  }

  @Test
  void aNewChannelOnADemotedAdminsForwardSocketIsRefusedAccessRevoked() throws IOException {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("g")))
            .get("name")
            .asText();
    TestDevices.Device device =
        TestDevices.echo(portal.process(), portal.admin(), group, started::add);
    String deviceName = portal.admin().get("/api/devices/" + device.id()).get("name").asText();
    String name = PortalApi.unique("adm");
    long id = newAdmin(name);
    PortalApi user = PortalApi.signIn(portal.baseUrl(), name, PASSWORD);
    String token = user.post("/api/tokens", Map.of("name", "cli")).get("token").asText();
    CliProcess cli = CliProcess.forward(deviceName, "echo", portal.baseUrl(), token);
    started.add(cli);
    try (Socket before = cli.connect()) {
      assertEquals("ping", echo(before, "ping"), "the forward works while an admin");
    }

    demote(id);

    try (Socket after = cli.connect()) {
      after.getOutputStream().write("pong".getBytes(StandardCharsets.UTF_8));
      assertEquals(-1, after.getInputStream().read(), "a channel after the demotion is closed");
    }
    Await.until(
        "the CLI to report the refusal", WAIT, () -> cli.log().contains("refused: access-revoked"));
    assertTrue(cli.log().contains("refused: access-revoked"), cli.log());
    Await.until(
        "the forward's session row to end as access-revoked",
        WAIT,
        () -> {
          JsonNode rows = portal.admin().get("/api/sessions?device=" + device.id()).get("items");
          return rows.size() == 1
              && "access-revoked".equals(rows.get(0).path("closeReason").asText());
        });
  }

  private static String echo(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    InputStream in = socket.getInputStream();
    byte[] got = new byte[text.length()];
    int n = 0;
    while (n < got.length) {
      int r = in.read(got, n, got.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return new String(Arrays.copyOf(got, n), StandardCharsets.UTF_8);
  }
}
