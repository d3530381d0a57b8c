package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.Started;
import io.tether.testing.TerminalText;
import io.tether.testing.TestDevices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recording with real processes: what each group policy stores, byte-exact raw export, asciicast v2
 * that parses back, console text stored compressed, and the separate replay right.
 */
class SessionRecordingIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String SECRET = "hunter2-typed-secret";

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("recording", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  /** A new group with recording {@code policy}. */
  static String group(String policy) {
    String name = PortalApi.unique("rec-" + policy);
    long id = portal.admin().post("/api/groups", Map.of("name", name)).get("id").asLong();
    JsonNode changed =
        PortalApi.expect(
            200,
            portal.admin().request("PATCH", "/api/groups/" + id, Map.of("recording", policy)),
            "set the recording policy");
    assertEquals(policy, changed.get("recording").asText());
    return name;
  }

  /** Opens a terminal as admin, runs {@code work}, closes, and answers the ended session's id. */
  long session(long device, String target, java.util.function.Consumer<TerminalClient> work) {
    TerminalClient c = TerminalClient.terminal(portal.baseUrl(), portal.admin(), device, target);
    started.add(c);
    long id = c.awaitSession(s -> s.path("id").isNumber()).get("id").asLong();
    c.awaitLive();
    work.accept(c);
    c.close();
    Await.until(
        "session " + id + " ended",
        WAIT,
        () -> portal.admin().get("/api/sessions/" + id).get("state").asText().equals("ended"));
    return id;
  }

  static HttpResponse<byte[]> export(PortalApi user, long session, String format) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(
                  URI.create(
                      portal.baseUrl()
                          + "/api/sessions/"
                          + session
                          + "/recording?format="
                          + format))
              .header("Cookie", user.cookie())
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError("export failed: " + e, e);
    }
  }

  @Test
  void everyByteValueComesBackByteExactAndAsParsableAsciicast() throws Exception {
    long device = TestDevices.echo(portal.process(), portal.admin(), null, started::add).id();
    PortalApi.expect(
        200,
        portal.admin().request("PATCH", "/api/devices/" + device, Map.of("encoding", "latin-1")),
        "latin-1 display encoding");
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    long id =
        session(
            device,
            "echo",
            c -> {
              c.type(all);
              c.awaitBytes(256, WAIT);
            });

    HttpResponse<byte[]> raw = export(portal.admin(), id, "raw");
    assertEquals(200, raw.statusCode(), new String(raw.body(), StandardCharsets.UTF_8));
    assertArrayEquals(all, raw.body(), "format=raw is the device's output, byte-exact");

    HttpResponse<byte[]> cast = export(portal.admin(), id, "cast");
    assertEquals(200, cast.statusCode());
    String[] lines = new String(cast.body(), StandardCharsets.UTF_8).split("\n");
    JsonNode header = JSON.readTree(lines[0]);
    assertEquals(2, header.get("version").asInt(), "asciicast v2 header: " + lines[0]);
    assertTrue(header.get("width").asInt() > 0 && header.get("height").asInt() > 0);
    StringBuilder text = new StringBuilder();
    double last = 0;
    for (int i = 1; i < lines.length; i++) {
      JsonNode event = JSON.readTree(lines[i]);
      assertTrue(
          event.isArray() && event.size() == 3, "an event is [time, code, data]: " + lines[i]);
      assertTrue(event.get(0).asDouble() >= last, "times never go back");
      last = event.get(0).asDouble();
      if (event.get(1).asText().equals("o")) {
        text.append(event.get(2).asText());
      }
    }
    assertEquals(
        new String(all, StandardCharsets.ISO_8859_1),
        text.toString(),
        "the cast holds the output decoded with the device's encoding (latin-1)");

    HttpResponse<byte[]> bad = export(portal.admin(), id, "gif");
    assertEquals(400, bad.statusCode());
    assertTrue(new String(bad.body(), StandardCharsets.UTF_8).contains("\"field\":\"format\""));
  }

  @Test
  void consoleTextIsStoredCompressedAndExportsByteExact() throws Exception {
    long device = TestDevices.echo(portal.process(), portal.admin(), null, started::add).id();
    byte[] text = TerminalText.of(42, 160 * 1024);
    long id =
        session(
            device,
            "echo",
            c -> {
              for (int off = 0; off < text.length; off += 16 * 1024) {
                c.type(java.util.Arrays.copyOfRange(text, off, off + 16 * 1024));
              }
              c.awaitBytes(text.length, WAIT);
            });

    HttpResponse<byte[]> raw = export(portal.admin(), id, "raw");
    assertEquals(200, raw.statusCode());
    assertArrayEquals(text, raw.body(), "format=raw gives the console's output back, byte-exact");
    assertEquals(
        text.length, portal.admin().get("/api/sessions/" + id).at("/recording/bytes").asLong());
    try (Connection db = portal.process().jdbc();
        PreparedStatement s =
            db.prepareStatement(
                "select count(*), sum(octet_length(data)),"
                    + " count(*) filter (where get_byte(data, 0) = 128)"
                    + " from recording_chunks where session_id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        assertTrue(r.next());
        long chunks = r.getLong(1);
        long stored = r.getLong(2);
        assertTrue(chunks >= 2, chunks + " chunks");
        assertEquals(chunks, r.getLong(3), "every chunk of console text is stored compressed");
        assertTrue(
            stored < text.length / 3,
            "the database keeps " + stored + " bytes for " + text.length + " of console text");
      }
    }
  }

  @Test
  void policyOffStoresNothing() throws Exception {
    TestDevices.Device device =
        TestDevices.serial(portal.process(), portal.admin(), group("off"), started::add);
    long id =
        session(
            device.id(),
            "console",
            c -> {
              c.type(SECRET.getBytes(StandardCharsets.US_ASCII));
              expect(device, SECRET);
              write(device, "some output\r\n");
              c.awaitBytes(13, WAIT);
            });
    JsonNode session = portal.admin().get("/api/sessions/" + id);
    assertEquals("off", session.get("recording").get("policy").asText());
    assertEquals(0, session.get("recording").get("bytes").asLong());
    HttpResponse<byte[]> r = export(portal.admin(), id, "raw");
    assertEquals(404, r.statusCode(), "no recording under policy off");
    assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("policy was off"));
  }

  @Test
  void outputOnlyStoresNoKeystrokes_outputAndInputStoresThem() throws Exception {
    for (String policy : List.of("output", "all")) {
      TestDevices.Device device =
          TestDevices.serial(portal.process(), portal.admin(), group(policy), started::add);
      long id =
          session(
              device.id(),
              "console",
              c -> {
                c.type(SECRET.getBytes(StandardCharsets.US_ASCII));
                expect(device, SECRET);
                write(device, "login ok\r\n");
                c.awaitBytes(10, WAIT);
              });
      Await.until(
          "the recording of session " + id,
          WAIT,
          () ->
              portal.admin().get("/api/sessions/" + id).get("recording").get("bytes").asLong() > 0);
      String cast = new String(export(portal.admin(), id, "cast").body(), StandardCharsets.UTF_8);
      String text = new String(export(portal.admin(), id, "text").body(), StandardCharsets.UTF_8);
      assertTrue(cast.contains("login ok"), policy + ": the output is recorded: " + cast);
      assertTrue(text.contains("login ok"), policy + ": the transcript has the output: " + text);
      if (policy.equals("output")) {
        assertFalse(cast.contains(SECRET), "output only: no keystrokes in the cast: " + cast);
        assertFalse(text.contains(SECRET), "output only: no keystrokes in the transcript");
        assertFalse(
            java.util.regex.Pattern.compile(",\\s*\"i\",").matcher(cast).find(),
            "output only: no input events");
      } else {
        assertTrue(
            java.util.regex.Pattern.compile("\"i\",\\s*\"" + SECRET + "\"").matcher(cast).find(),
            "all: the keystrokes as an input event: " + cast);
      }
    }
  }

  @Test
  void replayNeedsItsOwnRight() {
    long device = TestDevices.echo(portal.process(), portal.admin(), null, started::add).id();
    long id =
        session(
            device,
            "echo",
            c -> {
              c.type("hello\n".getBytes(StandardCharsets.US_ASCII));
              c.awaitBytes(6, WAIT);
            });
    String name = PortalApi.unique("op");
    JsonNode user =
        portal
            .admin()
            .post("/api/users", Map.of("username", name, "password", "password-for-tests"));
    long userId = user.get("id").asLong();
    JsonNode grant =
        portal
            .admin()
            .post(
                "/api/users/" + userId + "/grants", Map.of("group", "default", "role", "operator"));
    PortalApi operator = PortalApi.signIn(portal.baseUrl(), name, "password-for-tests");
    assertEquals(200, operator.request("GET", "/api/sessions/" + id, null).statusCode(), "sees it");
    assertEquals(403, export(operator, id, "raw").statusCode(), "an operator may not replay");

    PortalApi.expect(
        204,
        portal
            .admin()
            .request(
                "DELETE", "/api/users/" + userId + "/grants/" + grant.get("id").asLong(), null),
        "remove the grant");
    portal
        .admin()
        .post(
            "/api/users/" + userId + "/grants",
            Map.of("group", "default", "role", "viewer", "replay", true));
    PortalApi replayer = PortalApi.signIn(portal.baseUrl(), name, "password-for-tests");
    HttpResponse<byte[]> r = export(replayer, id, "raw");
    assertEquals(200, r.statusCode(), "a grant with replay may");
    assertArrayEquals("hello\n".getBytes(StandardCharsets.US_ASCII), r.body());
  }

  private static void expect(TestDevices.Device device, String text) {
    try {
      device.tap().expect(text.getBytes(StandardCharsets.US_ASCII), WAIT);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void write(TestDevices.Device device, String text) {
    try {
      device.tap().write(text.getBytes(StandardCharsets.US_ASCII));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
