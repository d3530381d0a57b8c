package io.tether.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.session.TerminalClient;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.TestDevices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a populated portal holds that must survive a backup or an upgrade, with the secrets needed
 * to use it (a user's password, an API token, a device token) and a recording's bytes. Written next
 * to an upgrade fixture as {@value #FILE}.
 */
record PortalContents(
    String username,
    String password,
    String apiToken,
    String group,
    long deviceId,
    String deviceToken,
    long sessionId,
    String recording) {
  static final String FILE = "contents.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TYPED = "typed before the backup: \u00e9\u00e8 \u2713\r\n";

  /**
   * Fills a running portal: a user with an operator grant on a recorded group, their API token, an
   * echo device whose agent connects with its device token, and an ended terminal session with a
   * recording.
   */
  static PortalContents populate(PortalProcess portal, Consumer<AutoCloseable> owner) {
    PortalClient admin = PortalClient.admin(portal);
    PortalClient.NewUser user = admin.createUser();
    String group = PortalClient.unique("group");
    long groupId =
        admin.expect(201, "POST", "/api/groups", Map.of("name", group)).get("id").asLong();
    admin.grant(user.id(), group, "operator");
    admin.expect(200, "PATCH", "/api/groups/" + groupId, Map.of("recording", "all"));
    String apiToken =
        PortalClient.signIn(portal.baseUrl(), null, user.username(), user.password())
            .createApiToken();
    PortalClient.NewDevice device = admin.createDevice(group);
    connectAgent(portal, device.id(), device.token(), owner);

    PortalApi asUser = PortalApi.signIn(portal.baseUrl(), user.username(), user.password());
    TerminalClient terminal =
        TerminalClient.terminal(portal.baseUrl(), asUser, device.id(), "echo");
    long sessionId = terminal.awaitSession(s -> s.path("id").isNumber()).get("id").asLong();
    terminal.awaitLive();
    byte[] typed = TYPED.getBytes(StandardCharsets.UTF_8);
    terminal.type(typed);
    terminal.awaitBytes(typed.length, WAIT);
    terminal.close();
    Await.until(
        "session " + sessionId + " ended",
        WAIT,
        () ->
            admin
                .expect(200, "GET", "/api/sessions/" + sessionId, null)
                .get("state")
                .asText()
                .equals("ended"));
    byte[] recording = rawRecording(portal, sessionId);
    assertArrayEquals(typed, recording, "the echo device's output is recorded");
    return new PortalContents(
        user.username(),
        user.password(),
        apiToken,
        group,
        device.id(),
        device.token(),
        sessionId,
        Base64.getEncoder().encodeToString(recording));
  }

  /**
   * Checks a portal restored from these contents: the user signs in and sees the device through the
   * grant, the API token is accepted, an agent with the old device token comes online, and the old
   * session's recording replays byte-exact.
   */
  void verify(PortalProcess portal, Consumer<AutoCloseable> owner) {
    PortalClient user = PortalClient.signIn(portal.baseUrl(), null, username, password);
    List<Long> visible =
        user.expect(200, "GET", "/api/devices", null).findValues("id").stream()
            .map(JsonNode::asLong)
            .toList();
    assertTrue(visible.contains(deviceId), "the grant shows device " + deviceId + ": " + visible);
    assertEquals(username, bearer(portal, apiToken).get("username").asText(), "API token");
    connectAgent(portal, deviceId, deviceToken, owner);
    PortalClient admin = PortalClient.admin(portal);
    JsonNode session = admin.expect(200, "GET", "/api/sessions/" + sessionId, null);
    assertEquals("ended", session.get("state").asText(), "the old session: " + session);
    assertArrayEquals(
        Base64.getDecoder().decode(recording),
        rawRecording(portal, sessionId),
        "the old recording replays byte-exact");
  }

  /** An agent for the device with {@code token} and an echo target, awaited online. */
  static void connectAgent(
      PortalProcess portal, long deviceId, String token, Consumer<AutoCloseable> owner) {
    EchoServer echo = EchoServer.start();
    owner.accept(echo);
    AgentProcess agent =
        AgentProcess.create(
            "dev-" + deviceId,
            "ws://127.0.0.1:" + portal.httpPort() + "/tunnel",
            token,
            List.of("echo=tcp:127.0.0.1:" + echo.port()),
            List.of());
    owner.accept(agent);
    agent.start().awaitOnline(TestDevices.ONLINE);
  }

  private static JsonNode bearer(PortalProcess portal, String token) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/me"))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), "GET /api/me with the API token: " + r.body());
      return JSON.readTree(r.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The recording as exported for replay, byte-exact ({@code format=raw}), as the admin. */
  private static byte[] rawRecording(PortalProcess portal, long sessionId) {
    PortalApi admin = PortalApi.signIn(portal.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
    try {
      HttpResponse<byte[]> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              portal.baseUrl()
                                  + "/api/sessions/"
                                  + sessionId
                                  + "/recording?format=raw"))
                      .header("Cookie", admin.cookie())
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode(), "recording export of session " + sessionId);
      return r.body();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  void write(Path file) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
  }

  static PortalContents read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), PortalContents.class);
  }
}
