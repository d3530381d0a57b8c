package io.tether.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.session.TerminalClient;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.SocatDeviceServer;
import io.tether.testing.SocketEnd;
import io.tether.testing.Started;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw TCP ingress with real processes: a device server in TCP-client mode (socat with a PTY behind
 * it, or a plain socket) dials its device's port on the portal and becomes that device's tunnel,
 * reached from the terminal socket and from a link port.
 */
class RawIngressIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** TETHER_INGRESS_GUESS_WINDOW here: long enough for 41 connects, short enough to wait out. */
  private static final Duration GUESS_WINDOW = Duration.ofSeconds(10);

  // a short guess window, so that a burst's audit entry is written while the test waits
  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "ingress",
          Map.of(
              "TETHER_TRUSTED_PROXIES",
              "127.0.0.1",
              "TETHER_INGRESS_GUESS_WINDOW",
              GUESS_WINDOW.toSeconds() + "s"));

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  static JsonNode rawDevice(List<String> allow, String secret) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", PortalApi.unique("raw"));
    body.put("mode", "raw");
    body.put("allowCidrs", allow);
    if (secret != null) {
      body.put("connectSecret", secret);
    }
    return PortalApi.expect(
        201, portal.admin().request("POST", "/api/devices", body), "a raw device");
  }

  static boolean online(long id) {
    return portal.admin().get("/api/devices/" + id).get("online").asBoolean();
  }

  Socket dial(String from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    s.setSoTimeout((int) WAIT.toMillis());
    started.add(s);
    return s;
  }

  TerminalClient terminal(long device) {
    TerminalClient t = TerminalClient.terminal(portal.baseUrl(), portal.admin(), device, "serial");
    started.add(t);
    return t;
  }

  @Test
  void aRawDeviceShowsItsIngressPortAndSetupAndHasNoToken() {
    JsonNode d = rawDevice(List.of("198.51.100.7/32"), null);
    assertTrue(d.get("token").isNull(), "no device token: " + d);
    int port = d.get("ingress").get("port").asInt();
    assertTrue(port >= 21000 && port <= 21999, "from the ingress pool: " + port);
    JsonNode view = portal.admin().get("/api/devices/" + d.get("id").asLong());
    assertEquals("raw", view.get("mode").asText());
    assertTrue(view.get("ingress").get("unauthenticated").asBoolean(), "labelled unauthenticated");
    String tibbo = view.get("ingress").get("settings").get("tibbo").asText();
    assertTrue(
        tibbo.contains("Routing Mode = Client") && tibbo.contains(String.valueOf(port)), tibbo);
    assertTrue(view.get("ingress").get("settings").has("lantronix"));
    assertTrue(view.get("ingress").get("settings").has("moxa"));

    Map<String, Object> noList =
        new HashMap<>(Map.of("name", PortalApi.unique("raw"), "mode", "raw"));
    assertProblem(portal.admin().request("POST", "/api/devices", noList), 400, "allowCidrs");
    noList.put("allowCidrs", List.of("300.1.2.3"));
    assertProblem(portal.admin().request("POST", "/api/devices", noList), 400, "allowCidrs");
    assertProblem(
        portal
            .admin()
            .request(
                "POST",
                "/api/devices",
                Map.of("name", PortalApi.unique("agent"), "allowCidrs", List.of("127.0.0.1"))),
        400,
        "mode");
    assertProblem(
        portal.admin().request("POST", "/api/devices/" + d.get("id").asLong() + "/token", null),
        409,
        "mode");
  }

  @Test
  void aSocatDeviceServerIsReachedFromTheTerminalAndFromALinkPort() throws Exception {
    JsonNode d = rawDevice(List.of("127.0.0.1/32"), null);
    long id = d.get("id").asLong();
    SocatDeviceServer ds = SocatDeviceServer.dial(d.get("ingress").get("port").asInt());
    started.add(ds);
    Await.until("the raw device online", WAIT, () -> online(id));
    JsonNode targets = portal.admin().get("/api/devices/" + id).get("targets");
    assertEquals("serial", targets.get(0).get("name").asText(), targets.toString());

    TerminalClient t = terminal(id);
    t.awaitLive();
    t.type("AT+PING\r".getBytes(StandardCharsets.US_ASCII));
    ds.expect("AT+PING\r".getBytes(StandardCharsets.US_ASCII), WAIT);
    ds.print("OK\r\n".getBytes(StandardCharsets.US_ASCII));
    t.awaitReceived("OK\r\n".getBytes(StandardCharsets.US_ASCII), WAIT);
    t.close();
    Await.until(
        "the terminal's session ended",
        WAIT,
        () -> portal.admin().get("/api/sessions?live=true&device=" + id).get("items").isEmpty());

    JsonNode link =
        PortalApi.expect(
            201,
            portal
                .admin()
                .request(
                    "POST",
                    "/api/devices/" + id + "/links",
                    Map.of("target", "serial", "allowCidrs", List.of("127.0.0.1"))),
            "a link to the raw device");
    Socket host = dial("127.0.0.1", link.get("port").asInt());
    host.getOutputStream().write("from-host".getBytes(StandardCharsets.US_ASCII));
    ds.expect("AT+PING\rfrom-host".getBytes(StandardCharsets.US_ASCII), WAIT);
    Await.until(
        "the link's session live",
        WAIT,
        () -> !portal.admin().get("/api/sessions?live=true&device=" + id).get("items").isEmpty());
    ds.print("to-host".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(
        "to-host".getBytes(StandardCharsets.US_ASCII), host.getInputStream().readNBytes(7));
  }

  @Test
  void aWrongConnectStringIsRefused_theRightOneIsStrippedAndAdmitted() throws Exception {
    JsonNode d = rawDevice(List.of("127.0.0.1/32"), "TETHER-7");
    long id = d.get("id").asLong();
    int port = d.get("ingress").get("port").asInt();
    Socket wrong = dial("127.0.0.1", port);
    wrong.getOutputStream().write("WRONG-77".getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        -1, SocketEnd.readOrEnd(wrong.getInputStream()), "a wrong connect string is refused");
    Await.until(
        "the refusal audited",
        WAIT,
        () -> portal.admin().get("/api/audit?action=ingress.refused").get("items").size() > 0);
    assertTrue(!online(id), "still offline");

    Socket unit = dial("127.0.0.1", port);
    unit.getOutputStream().write("TETHER-7".getBytes(StandardCharsets.US_ASCII));
    Await.until("online with the right connect string", WAIT, () -> online(id));
    TerminalClient t = terminal(id);
    t.awaitLive();
    t.type("ls\r".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(
        "ls\r".getBytes(StandardCharsets.US_ASCII), unit.getInputStream().readNBytes(3));
    unit.getOutputStream().write("files\r\n".getBytes(StandardCharsets.US_ASCII));
    t.awaitReceived("files\r\n".getBytes(StandardCharsets.US_ASCII), WAIT);
  }

  @Test
  void connectStringGuessingIsBlockedPerAddress_andEachBurstIsAuditedOnceWithItsCount()
      throws Exception {
    String guesser = "127.0.0.3"; // its own address: the other tests' refusals stay apart
    JsonNode d = rawDevice(List.of(guesser + "/32"), "TETHER-9");
    long id = d.get("id").asLong();
    int port = d.get("ingress").get("port").asInt();
    long start = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      Socket s = dial(guesser, port);
      s.getOutputStream().write(String.format("GUESS-%02d", i).getBytes(StandardCharsets.US_ASCII));
      assertEquals(-1, SocketEnd.readOrEnd(s.getInputStream()), "guess " + i + " refused");
      s.close();
    }
    Socket right = dial(guesser, port);
    right.getOutputStream().write("TETHER-9".getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        -1, SocketEnd.readOrEnd(right.getInputStream()), "the right string refused while blocked");
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).compareTo(GUESS_WINDOW) < 0,
        "41 connects took longer than the guess window: the test cannot tell bursts apart");
    assertTrue(!online(id), "a blocked address brought the device online");

    Await.until("the burst audited", WAIT, () -> !refusals(id).isEmpty());
    List<String> entries = refusals(id);
    assertEquals(1, entries.size(), "one audit entry for the burst: " + entries);
    assertTrue(
        entries.get(0).startsWith("refused 41 connections from " + guesser),
        "the entry counts every refusal: " + entries.get(0));

    Socket unit = dial(guesser, port);
    unit.getOutputStream().write("TETHER-9".getBytes(StandardCharsets.US_ASCII));
    Await.until("admitted once the window passed", WAIT, () -> online(id));
  }

  private static List<String> refusals(long device) {
    List<String> details = new java.util.ArrayList<>();
    portal
        .admin()
        .get("/api/audit?action=ingress.refused&device=" + device)
        .get("items")
        .forEach(e -> details.add(e.get("detail").asText()));
    return details;
  }

  @Test
  void aConnectionFromOutsideTheAllowlistCannotReplaceTheLiveOne_anAllowedOneDoes()
      throws Exception {
    JsonNode d = rawDevice(List.of("127.0.0.1/32"), null);
    long id = d.get("id").asLong();
    int port = d.get("ingress").get("port").asInt();
    Socket live = dial("127.0.0.1", port);
    Await.until("online", WAIT, () -> online(id));

    Socket intruder = dial("127.0.0.2", port);
    assertEquals(-1, SocketEnd.readOrEnd(intruder.getInputStream()), "refused from 127.0.0.2");
    assertTrue(online(id), "the live connection stays");
    TerminalClient t = terminal(id);
    t.awaitLive();
    t.type("still-here".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(
        "still-here".getBytes(StandardCharsets.US_ASCII), live.getInputStream().readNBytes(10));
    t.close();

    Socket replacement = dial("127.0.0.1", port);
    assertEquals(
        -1, SocketEnd.readOrEnd(live.getInputStream()), "an allowed new connection replaces it");
    Await.until("online again", WAIT, () -> online(id));
    TerminalClient t2 = terminal(id);
    t2.awaitLive();
    t2.type("new".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(
        "new".getBytes(StandardCharsets.US_ASCII), replacement.getInputStream().readNBytes(3));
  }

  private static void assertProblem(
      java.net.http.HttpResponse<String> r, int status, String field) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(
        r.body().contains("\"field\":\"" + field + "\""), "names " + field + ": " + r.body());
  }
}
