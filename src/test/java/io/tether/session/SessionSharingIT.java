package io.tether.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.Await;
import io.tether.testing.HeapProbe;
import io.tether.testing.NonReadingWebSocket;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared sessions with real processes: the packaged portal, an agent whose target "echo" is a TCP
 * echo server, and terminal WebSockets opened as different users. Checks who may type, control
 * changes, an admin ending a session, late joiners' resync and that a stalled observer does not
 * slow the controller.
 */
class SessionSharingIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PASSWORD = "password-for-tests";

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("sessions", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  private static PortalApi alice;
  private static PortalApi bob;
  private static PortalApi carol;
  private static PortalApi dave;

  private final Started started = new Started();

  @BeforeAll
  static void startPortal() {
    alice = user("operator");
    bob = user("operator");
    carol = user("viewer");
    dave = user("viewer", true);
  }

  /** A new user with {@code role} on the default group, signed in. */
  static PortalApi user(String role) {
    return user(role, false);
  }

  /** A new user with {@code role} and, if asked, the replay right on the default group. */
  static PortalApi user(String role, boolean replay) {
    String name = PortalApi.unique(role);
    JsonNode u = portal.admin().post("/api/users", Map.of("username", name, "password", PASSWORD));
    portal
        .admin()
        .post(
            "/api/users/" + u.get("id").asLong() + "/grants",
            Map.of("group", "default", "role", role, "replay", replay));
    return PortalApi.signIn(portal.baseUrl(), name, PASSWORD);
  }

  @AfterEach
  void closeStarted() {
    started.close();
  }

  /** A device with a TCP echo target "echo", online. */
  long echoDevice() {
    return TestDevices.echo(portal.process(), portal.admin(), null, started::add).id();
  }

  TerminalClient join(PortalApi user, long device) {
    TerminalClient c = TerminalClient.terminal(portal.baseUrl(), user, device, "echo");
    started.add(c);
    return c.awaitLive();
  }

  @Test
  void secondUserJoinsAsObserverWhoseKeystrokesAreRefused() {
    long device = echoDevice();
    TerminalClient first = join(alice, device);
    first.awaitSession(s -> s.path("role").asText().equals("controller"));
    TerminalClient second = join(bob, device);
    JsonNode seen = second.awaitSession(s -> s.path("participants").size() == 2);
    assertEquals("observer", seen.get("role").asText(), "the second user observes");

    second.type("observer-typed\n".getBytes(StandardCharsets.US_ASCII));
    second.awaitControl("input-refused", WAIT);
    first.type("controller-typed\n".getBytes(StandardCharsets.US_ASCII));
    byte[] echoed = "controller-typed\n".getBytes(StandardCharsets.US_ASCII);
    first.awaitBytes(echoed.length, WAIT);
    second.awaitBytes(echoed.length, WAIT);
    assertArrayEquals(
        echoed, first.received(), "only the controller's keystrokes reach the device");
    assertArrayEquals(echoed, second.received(), "the observer sees the device's output");
  }

  @Test
  void viewerCannotStartASessionButMayWatchOne() {
    long device = echoDevice();
    TerminalClient early = TerminalClient.terminal(portal.baseUrl(), carol, device, "echo");
    started.add(early);
    String closed = early.awaitClosed(WAIT);
    assertTrue(closed.startsWith("4403"), "a viewer cannot start a session: " + closed);

    TerminalClient controller = join(alice, device);
    controller.awaitSession(s -> s.path("role").asText().equals("controller"));
    TerminalClient viewer = join(carol, device);
    JsonNode s = viewer.awaitSession(m -> m.path("participants").size() == 2);
    assertEquals("observer", s.get("role").asText());
    assertFalse(s.get("mayControl").asBoolean(), "a viewer may not take control");
    viewer.control("{\"type\":\"take-over\"}");
    viewer.awaitControl("error", WAIT);
  }

  @Test
  void takeOverMovesControlAndIsAudited_handOverGivesItBack() {
    long device = echoDevice();
    TerminalClient a = join(alice, device);
    a.awaitSession(s -> s.path("role").asText().equals("controller"));
    TerminalClient b = join(bob, device);
    b.awaitSession(s -> s.path("participants").size() == 2);

    int aMark = a.mark();
    int bMark = b.mark();
    b.control("{\"type\":\"take-over\"}");
    JsonNode bView = b.awaitSessionAfter(bMark, s -> s.path("role").asText().equals("controller"));
    a.awaitSessionAfter(aMark, s -> s.path("role").asText().equals("observer"));
    long sessionId = bView.get("id").asLong();
    Await.until(
        "the take-over in the audit log",
        WAIT,
        () -> portal.admin().get("/api/audit?action=session.take-over").get("items").size() > 0);

    int aliceId = a.awaitSession(s -> true).get("you").asInt();
    aMark = a.mark();
    bMark = b.mark();
    b.control("{\"type\":\"hand-over\",\"to\":" + aliceId + "}");
    a.awaitSessionAfter(aMark, s -> s.path("role").asText().equals("controller"));
    b.awaitSessionAfter(bMark, s -> s.path("role").asText().equals("observer"));

    a.close();
    b.close();
    Await.until(
        "the session ended",
        WAIT,
        () ->
            portal.admin().get("/api/sessions/" + sessionId).get("state").asText().equals("ended"));
    JsonNode session = portal.admin().get("/api/sessions/" + sessionId);
    assertEquals("closed-by-user", session.get("closeReason").asText());
    List<String> spans = new ArrayList<>();
    for (JsonNode p : session.get("participants")) {
      spans.add(p.get("username").asText() + ":" + p.get("role").asText());
      assertNotNull(p.get("leftAt").textValue(), "every span ended: " + p);
    }
    String a1 = alice.get("/api/me").get("username").asText();
    String b1 = bob.get("/api/me").get("username").asText();
    assertEquals(
        List.of(
            a1 + ":controller",
            b1 + ":observer",
            a1 + ":observer",
            b1 + ":controller",
            b1 + ":observer",
            a1 + ":controller"),
        spans,
        "who held which role, in order");
  }

  @Test
  void adminEndsASessionAndEveryParticipantIsToldWhy() {
    long device = echoDevice();
    TerminalClient a = join(alice, device);
    JsonNode s = a.awaitSession(m -> m.path("id").isNumber());
    TerminalClient b = join(bob, device);
    b.awaitSession(m -> m.path("participants").size() == 2);
    long id = s.get("id").asLong();
    JsonNode live = portal.admin().get("/api/sessions?live=true&device=" + device).get("items");
    assertEquals(1, live.size(), "one live session on the device");

    PortalApi.expect(
        204, portal.admin().request("DELETE", "/api/sessions/" + id, null), "end the session");
    for (TerminalClient c : List.of(a, b)) {
      JsonNode closed = c.awaitControl("closed", WAIT);
      assertEquals("ended-by-admin", closed.get("code").asText());
      c.awaitClosed(WAIT);
    }
    Await.until(
        "the session row ended",
        WAIT,
        () ->
            "ended-by-admin"
                .equals(portal.admin().get("/api/sessions/" + id).path("closeReason").asText()));
    PortalApi.expect(
        409, portal.admin().request("DELETE", "/api/sessions/" + id, null), "end it again");
    PortalApi.expect(403, alice.request("DELETE", "/api/sessions/" + id, null), "not an admin");
  }

  @Test
  void theDeviceGoingOfflineEndsTheSessionWithThatReason() {
    TestDevices.Device device =
        TestDevices.echo(portal.process(), portal.admin(), null, started::add);
    TerminalClient a = join(alice, device.id());
    long id = a.awaitSession(m -> m.path("id").isNumber()).get("id").asLong();
    device.agent().kill9();
    JsonNode closed = a.awaitControl("closed", WAIT);
    assertEquals("device-offline", closed.get("code").asText(), closed.toString());
    Await.until(
        "the session row ended",
        WAIT,
        () ->
            "device-offline"
                .equals(portal.admin().get("/api/sessions/" + id).path("closeReason").asText()));
  }

  @Test
  void viewDataFlowShowsTypedInputOnlyToWatchersWithTheReplayRight() {
    long device = echoDevice();
    // bob may operate the device but has no replay right; dave is a viewer with the replay right
    TerminalClient operatorFlow = flow(bob, device);
    TerminalClient replayFlow = flow(dave, device);
    TerminalClient viewerFlow = flow(carol, device);
    for (TerminalClient f : List.of(operatorFlow, replayFlow, viewerFlow)) {
      f.awaitControl("status", s -> s.path("state").asText().equals("idle"), WAIT);
    }

    TerminalClient a = join(alice, device);
    a.awaitSession(m -> m.path("id").isNumber());
    operatorFlow.awaitControl("status", s -> s.path("state").asText().equals("live"), WAIT);
    a.type("secret\n".getBytes(StandardCharsets.US_ASCII));
    a.awaitBytes(7, WAIT);
    // without replay only the echo, [1]secret\n (typed input would come first, as [2]secret\n)
    byte[] echoOnly = "\u0001secret\n".getBytes(StandardCharsets.US_ASCII);
    viewerFlow.awaitBytes(8, WAIT);
    operatorFlow.awaitBytes(8, WAIT);
    assertArrayEquals(echoOnly, viewerFlow.received(), "a viewer sees device output only");
    assertArrayEquals(
        echoOnly, operatorFlow.received(), "operating is not enough to see what was typed");
    // with replay: [2]secret\n (to the device) then [1]secret\n (its echo)
    replayFlow.awaitBytes(16, WAIT);
    assertArrayEquals(
        "\u0002secret\n\u0001secret\n".getBytes(StandardCharsets.US_ASCII),
        replayFlow.received(),
        "the replay right shows both directions");
    assertArrayEquals(echoOnly, operatorFlow.received(), "nothing more came later");
    JsonNode live =
        portal.admin().get("/api/sessions?live=true&device=" + device).get("items").get(0);
    assertEquals(1, live.get("participants").size(), "data flow watchers are not participants");
    assertTrue(
        replayFlow.awaitControl("watching", WAIT).path("input").asBoolean(),
        "a watcher with the replay right is told it sees input");
    JsonNode hidden = operatorFlow.awaitControl("watching", WAIT);
    assertFalse(hidden.path("input").asBoolean(), "the flow view is told input is hidden");
    assertEquals("default", hidden.path("group").asText(), "the group whose right is missing");

    String name = PortalApi.unique("watcher");
    JsonNode u = portal.admin().post("/api/users", Map.of("username", name, "password", PASSWORD));
    portal
        .admin()
        .post(
            "/api/users/" + u.get("id").asLong() + "/grants",
            Map.of("group", "default", "role", "viewer"));
    TerminalClient watcher = flow(PortalApi.signIn(portal.baseUrl(), name, PASSWORD), device);
    watcher.awaitControl("status", WAIT);
    PortalApi.expect(
        200,
        portal
            .admin()
            .request("PATCH", "/api/users/" + u.get("id").asLong(), Map.of("disabled", true)),
        "disable the watcher");
    JsonNode closed = watcher.awaitControl("closed", WAIT);
    assertEquals("access-revoked", closed.get("code").asText(), "a disabled user's tail closes");
  }

  @Test
  void dataFlowWatchersAreInEveryRosterAsWatchersUntilTheyLeave() {
    long device = echoDevice();
    String carolName = carol.get("/api/me").get("username").asText();
    TerminalClient early = flow(carol, device);
    early.awaitControl("status", WAIT);
    TerminalClient a = join(alice, device);
    // a watcher that came before the session is listed from the start
    a.awaitSession(s -> watchers(s).contains(carolName));
    TerminalClient b = join(bob, device);
    JsonNode seen = b.awaitSession(s -> s.path("participants").size() == 3);
    assertEquals(List.of(carolName), watchers(seen), "the observer sees the watcher too");

    String daveName = dave.get("/api/me").get("username").asText();
    int aMark = a.mark();
    TerminalClient late = flow(dave, device);
    JsonNode both = a.awaitSessionAfter(aMark, s -> watchers(s).size() == 2);
    for (JsonNode p : both.get("participants")) {
      if (p.path("role").asText().equals("watcher")) {
        assertFalse(p.path("mayControl").asBoolean(), "a watcher is never handed control: " + p);
        assertEquals("flow", p.path("via").asText(), p.toString());
      }
    }
    assertTrue(watchers(both).contains(daveName), "a watcher that joins later shows up");

    aMark = a.mark();
    int bMark = b.mark();
    late.close();
    early.close();
    a.awaitSessionAfter(aMark, s -> watchers(s).isEmpty() && s.path("participants").size() == 2);
    b.awaitSessionAfter(bMark, s -> watchers(s).isEmpty() && s.path("participants").size() == 2);
  }

  @Test
  void watchingADataFlowIsAuditedAtStartAndEnd() {
    long device = echoDevice();
    String daveName = dave.get("/api/me").get("username").asText();
    TerminalClient f = flow(dave, device);
    f.awaitControl("status", WAIT);
    f.close();
    String query = "/api/audit?action=flow.watch&device=" + device + "&actor=" + daveName;
    Await.until(
        "flow.watch start and end in the audit log",
        WAIT,
        () -> portal.admin().get(query).get("items").size() >= 2);
    List<String> details = new ArrayList<>();
    for (JsonNode e : portal.admin().get(query).get("items")) {
      details.add(e.get("detail").asText());
      assertTrue(e.get("subject").asText().endsWith("/echo"), "about the target: " + e);
    }
    assertEquals(2, details.size(), "one start, one end: " + details);
    assertTrue(details.get(0).startsWith("end"), "newest first, the end: " + details);
    assertTrue(details.get(1).startsWith("start"), "the start: " + details);
  }

  private TerminalClient flow(PortalApi user, long device) {
    TerminalClient f =
        TerminalClient.open(portal.baseUrl(), user, "/api/devices/" + device + "/flow?target=echo");
    started.add(f);
    return f;
  }

  /** The usernames listed with role {@code watcher} in a session message. */
  private static List<String> watchers(JsonNode session) {
    List<String> names = new ArrayList<>();
    for (JsonNode p : session.path("participants")) {
      if (p.path("role").asText().equals("watcher")) {
        names.add(p.path("username").asText());
      }
    }
    return names;
  }

  @Test
  void lateJoinerGetsAResetThenRecentOutputFromASafePoint() {
    long device = echoDevice();
    TerminalClient a = join(alice, device);
    a.awaitSession(m -> m.path("id").isNumber());
    byte[] stream = TerminalStream.generate(new Random(7), 200 * 1024);
    a.type(stream);
    a.awaitBytes(stream.length, WAIT);

    TerminalClient late = join(bob, device);
    late.awaitControl("reset", WAIT);
    Await.until("the recent output", WAIT, () -> late.receivedCount() > 0);
    // the reset comes before any byte
    List<String> order = late.order();
    int reset = order.indexOf("reset");
    int firstBytes = -1;
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).startsWith("B")) {
        firstBytes = i;
        break;
      }
    }
    assertTrue(reset >= 0 && reset < firstBytes, "a reset before the recent output: " + order);
    Await.until(
        "the whole snapshot",
        WAIT,
        () -> late.receivedCount() >= SessionLimits.RING_BYTES - 8 * 1024);
    byte[] recent = late.received();
    assertTrue(recent.length <= SessionLimits.RING_BYTES, "at most the ring: " + recent.length);
    TerminalStream.assertSuffixFromBoundary(stream, recent);
  }

  @Test
  void stalledObserverDoesNotHoldUpTheController() throws Exception {
    long device = echoDevice();
    byte[] payload = new byte[10 * 1024 * 1024];
    new Random(11).nextBytes(payload);

    TerminalClient alone = join(alice, device);
    alone.awaitSession(m -> m.path("id").isNumber());
    long aloneNanos = transfer(alone, payload);
    alone.close();
    Await.until(
        "the first session ended",
        WAIT,
        () ->
            portal.admin().get("/api/sessions?live=true&device=" + device).get("items").isEmpty());

    TerminalClient controller = join(alice, device);
    controller.awaitSession(m -> m.path("id").isNumber());
    TerminalClient observer = join(bob, device);
    observer.awaitSession(m -> m.path("participants").size() == 2);
    observer.stall();
    long sharedNanos = transfer(controller, payload);
    System.out.printf(
        "[sessions] 10 MiB echo alone %d ms, with a stalled observer %d ms (%.2fx)%n",
        aloneNanos / 1_000_000, sharedNanos / 1_000_000, (double) sharedNanos / aloneNanos);
    assertTrue(
        sharedNanos < 2 * aloneNanos,
        "a stalled observer slowed the controller from "
            + aloneNanos / 1_000_000
            + " ms to "
            + sharedNanos / 1_000_000
            + " ms");
    assertTrue(observer.receivedCount() < payload.length, "the stalled observer really was behind");
  }

  /** Types {@code payload} in 16 KiB pieces and waits for its echo; checks it byte-exact. */
  private static long transfer(TerminalClient c, byte[] payload) throws Exception {
    long start = System.nanoTime();
    Thread writer = new Thread(() -> c.type(payload));
    writer.start();
    c.awaitBytes(payload.length, Duration.ofSeconds(120));
    long nanos = System.nanoTime() - start;
    writer.join();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    assertArrayEquals(
        sha.digest(payload), sha.digest(c.received()), "the echo came back byte-exact");
    return nanos;
  }

  /** Keystrokes an observer floods with, on the wire: ~300k one-byte frames, each refused. */
  private static final long KEYSTROKE_FLOOD_BYTES = 2L << 20;

  /** Resize messages a client floods with, on the wire: each one is answered. */
  private static final long RESIZE_FLOOD_BYTES = 24L << 20;

  /** What the portal's live heap may grow by while one client floods it without reading. */
  private static final long HEAP_GROWTH_BOUND = 16L << 20;

  private static String terminalPath(long device) {
    return "/api/devices/" + device + "/terminal?target=echo";
  }

  @Test
  void observerFloodingKeystrokesWithoutReadingIsClosedAndTheHeapStaysFlat() {
    long device = echoDevice();
    TerminalClient controller = join(alice, device);
    controller.awaitSession(s -> s.path("role").asText().equals("controller"));
    int mark = controller.mark();
    long pid = portal.process().process().pid();
    long before = HeapProbe.liveBytes(pid);
    try (NonReadingWebSocket observer =
        NonReadingWebSocket.open(portal.baseUrl(), bob.cookie(), terminalPath(device))) {
      controller.awaitSessionAfter(mark, s -> s.path("participants").size() == 2);
      boolean closedEarly = observer.floodUntilClosed(2, new byte[] {'x'}, KEYSTROKE_FLOOD_BYTES);
      // the portal reads the flood out of the socket buffers at its own pace: a take-over sent
      // after it is handled after every keystroke, unless the observer was closed before
      int after = controller.mark();
      observer.send(1, "{\"type\":\"take-over\"}".getBytes(StandardCharsets.US_ASCII));
      controller.awaitSessionAfter(
          after,
          s -> s.path("participants").size() == 1 || s.path("role").asText().equals("observer"),
          Duration.ofSeconds(120));
      long grown = HeapProbe.liveBytes(pid) - before;
      boolean closed = closedEarly || observer.closedWithin(WAIT);
      System.out.printf(
          "[sessions] observer keystroke flood: %d bytes sent, portal heap %+d KiB, closed %s (%d)%n",
          observer.sent(), grown / 1024, closed, observer.closeCode());
      assertTrue(closed, "an observer flooding keystrokes without reading is closed");
      assertTrue(
          grown < HEAP_GROWTH_BOUND,
          "the portal's live heap grew by " + grown / 1024 + " KiB during the flood");
    }
    controller.type("still-here\n".getBytes(StandardCharsets.US_ASCII));
    controller.awaitBytes("still-here\n".length(), WAIT);
  }

  @Test
  void clientThatSendsButNeverReadsIsClosedAtTheOutboundQueueBound() {
    long device = echoDevice();
    long pid = portal.process().process().pid();
    long before = HeapProbe.liveBytes(pid);
    byte[] resize =
        "{\"type\":\"resize\",\"cols\":80,\"rows\":24}".getBytes(StandardCharsets.US_ASCII);
    try (NonReadingWebSocket client =
        NonReadingWebSocket.open(portal.baseUrl(), alice.cookie(), terminalPath(device))) {
      boolean closedEarly = client.floodUntilClosed(1, resize, RESIZE_FLOOD_BYTES);
      long grown = HeapProbe.liveBytes(pid) - before;
      boolean closed = closedEarly || client.closedWithin(WAIT);
      System.out.printf(
          "[sessions] answered-message flood: %d bytes sent, portal heap %+d KiB, closed %s (%d)%n",
          client.sent(), grown / 1024, closed, client.closeCode());
      assertTrue(closed, "a client whose answers pile up unread is closed");
      assertTrue(
          grown < HEAP_GROWTH_BOUND,
          "the portal's live heap grew by " + grown / 1024 + " KiB during the flood");
    }
  }

  /** Empty PINGs a client floods with, on the wire: each one is answered with a PONG. */
  private static final long PING_FLOOD_BYTES = 16L << 20;

  @Test
  void clientThatPingsButNeverReadsIsClosedAtTheOutboundQueueBound() {
    long device = echoDevice();
    assertPingFloodIsClosedWithTheHeapFlat(
        "ping flood",
        () -> NonReadingWebSocket.open(portal.baseUrl(), alice.cookie(), terminalPath(device)));
  }

  @Test
  void forwardClientThatPingsButNeverReadsIsClosedAndTheHeapStaysFlat() {
    long device = echoDevice();
    String token =
        alice.post("/api/tokens", Map.of("name", PortalApi.unique("ping"))).get("token").asText();
    assertPingFloodIsClosedWithTheHeapFlat(
        "forward ping flood",
        () ->
            NonReadingWebSocket.openWithHeaders(
                portal.baseUrl(),
                "/api/forward?device=" + device,
                "Authorization: Bearer "
                    + token
                    + "\r\nSec-WebSocket-Protocol: "
                    + io.tether.protocol.ProtocolVersion.SUBPROTOCOL));
  }

  /**
   * Floods the socket {@code open} gives with empty PINGs without reading a PONG: it must be
   * closed, and the portal's live heap after a full GC must grow by less than the bound.
   */
  private static void assertPingFloodIsClosedWithTheHeapFlat(
      String label, java.util.function.Supplier<NonReadingWebSocket> open) {
    long pid = portal.process().process().pid();
    long before = HeapProbe.liveBytes(pid);
    try (NonReadingWebSocket client = open.get()) {
      boolean closedEarly = client.floodUntilClosed(9, new byte[0], PING_FLOOD_BYTES);
      long grown = HeapProbe.liveBytes(pid) - before;
      String holds = grown >= HEAP_GROWTH_BOUND ? HeapProbe.top(pid, 12) : "";
      boolean closed = closedEarly || client.closedWithin(WAIT);
      System.out.printf(
          "[sessions] %s: %d bytes sent, portal heap %+d KiB, closed %s (%d)%n",
          label, client.sent(), grown / 1024, closed, client.closeCode());
      assertTrue(closed, "a client whose PONGs pile up unread is closed (" + label + ")");
      if (grown >= HEAP_GROWTH_BOUND) {
        throw new AssertionError(
            "the portal's live heap grew by "
                + grown / 1024
                + " KiB during the "
                + label
                + "; it held:\n"
                + holds);
      }
    }
  }

  @Test
  void aUsersThirtyThirdEventStreamOrFlowSocketIsRefusedWith429() throws Exception {
    PortalApi dave = user("viewer");
    long device = echoDevice();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest events =
        HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/events"))
            .header("Cookie", dave.cookie())
            .build();
    List<InputStream> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        HttpResponse<InputStream> r = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), "event stream " + (i + 1) + " of 32 opens");
        streams.add(r.body());
      }
      HttpResponse<InputStream> refused =
          http.send(events, HttpResponse.BodyHandlers.ofInputStream());
      if (refused.statusCode() == 200) {
        streams.add(refused.body()); // a stream never ends: do not read it
      }
      assertEquals(429, refused.statusCode(), "the 33rd event stream");
      String problem = new String(refused.body().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(
          refused.headers().firstValue("Content-Type").orElse("").contains("problem+json"),
          "a 429 with problem JSON: " + refused.headers().map() + " " + problem);

      streams.remove(0).close();
      Await.until(
          "a closed event stream frees its place",
          WAIT,
          () -> {
            try {
              HttpResponse<InputStream> r =
                  http.send(events, HttpResponse.BodyHandlers.ofInputStream());
              if (r.statusCode() == 200) {
                streams.add(r.body());
                return true;
              }
              r.body().close();
              return false;
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });

      String flow = "/api/devices/" + device + "/flow?target=echo";
      for (int i = 0; i < 32; i++) {
        started.add(TerminalClient.open(portal.baseUrl(), dave, flow));
      }
      AssertionError error =
          org.junit.jupiter.api.Assertions.assertThrows(
              AssertionError.class, () -> TerminalClient.open(portal.baseUrl(), dave, flow));
      Throwable cause = error.getCause();
      while (cause != null && !(cause instanceof WebSocketHandshakeException)) {
        cause = cause.getCause();
      }
      assertNotNull(cause, "the 33rd flow socket is refused at the upgrade: " + error);
      assertEquals(
          429,
          ((WebSocketHandshakeException) cause).getResponse().statusCode(),
          "the 33rd flow socket");
    } finally {
      for (InputStream in : streams) {
        in.close();
      }
    }
  }

  @Test
  void aUsersThirtyThirdForwardSocketIsRefusedWith429() {
    PortalApi erin = user("operator");
    long device = echoDevice();
    String token =
        erin.post("/api/tokens", Map.of("name", PortalApi.unique("cli"))).get("token").asText();
    String headers =
        "Authorization: Bearer "
            + token
            + "\r\nSec-WebSocket-Protocol: "
            + io.tether.protocol.ProtocolVersion.SUBPROTOCOL;
    String path = "/api/forward?device=" + device;
    List<NonReadingWebSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        sockets.add(NonReadingWebSocket.openWithHeaders(portal.baseUrl(), path, headers));
      }
      AssertionError refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              AssertionError.class,
              () -> NonReadingWebSocket.openWithHeaders(portal.baseUrl(), path, headers));
      assertTrue(
          refused.getMessage().contains("HTTP/1.1 429"),
          "the 33rd forward socket is refused with 429: " + refused.getMessage());
      assertTrue(
          refused.getMessage().contains("problem+json"),
          "with problem JSON: " + refused.getMessage());
    } finally {
      sockets.forEach(NonReadingWebSocket::close);
    }
  }
}
