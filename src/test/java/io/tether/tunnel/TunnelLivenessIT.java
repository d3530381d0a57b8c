package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.protocol.ProtocolVersion;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.EchoServer;
import io.tether.testing.EventStream;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.SocatPty;
import io.tether.testing.TcpRelay;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presence and liveness with the real agent: what the portal shows, how fast each side notices a
 * dead tunnel (the portal runs with heartbeat 1 s, dead-after 3 s), and that the agent comes back
 * by itself after a freeze, a black-holed path and a portal restart, but not with a rotated token.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunnelLivenessIT {
  /** TETHER_DEAD_AFTER of the test portal. */
  private static final Duration DEAD_AFTER =
      Duration.parse("PT" + PortalProcess.SHORT_TIMERS.get("TETHER_DEAD_AFTER").toUpperCase());

  /**
   * Slack over dead-after for "declared dead": one heartbeat tick (1 s), the presence write, and a
   * busy 2-core machine.
   */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  /** A first connect, or a reconnect after one drop (backoff ≤ 1-2 s plus JVM start). */
  private static final Duration CONNECT = Duration.ofSeconds(30);

  /**
   * How long a stopping portal keeps answering (Quarkus' shutdown delay, 500 ms by default): long
   * enough here for a device to try to connect while the portal stops.
   */
  private static final Duration STOPPING = Duration.ofSeconds(4);

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "tunnel-liveness", Map.of("QUARKUS_SHUTDOWN_DELAY", STOPPING.toSeconds() + "s"));

  private static EchoServer echo;

  /** The agent of the portal-restart test, for the test after it. */
  private static AgentProcess restarted;

  @BeforeAll
  static void startPortal() {
    echo = EchoServer.start();
  }

  @AfterAll
  static void stopPortal() {
    if (restarted != null) {
      restarted.close();
    }
    if (echo != null) {
      echo.close();
    }
  }

  private static String tunnelUrl(int port) {
    return "ws://127.0.0.1:" + port + "/tunnel";
  }

  private static AgentProcess agent(String name, PortalClient.NewDevice device, int port) {
    return AgentProcess.start(
        name,
        tunnelUrl(port),
        device.token(),
        List.of("echo=tcp:127.0.0.1:" + echo.port()),
        List.of());
  }

  private static void awaitOnline(PortalClient.NewDevice device, boolean online, Duration timeout) {
    Await.until(
        "device " + device.name() + " to be " + (online ? "online" : "offline"),
        timeout,
        () -> portal.client().online(device.id()) == online);
  }

  /** Waits for the device to go offline; how long that took from {@code since} (nanoTime). */
  private static Duration awaitOffline(PortalClient.NewDevice device, long since) {
    awaitOnline(device, false, DEAD_AFTER.plus(MARGIN).plus(Duration.ofSeconds(5)));
    return Duration.ofNanos(System.nanoTime() - since);
  }

  /**
   * The presence interval refreshes "last seen" of an online device without announcing it: a
   * browser's event stream hears of a device only when it comes online or goes offline (before,
   * every refresh of every online device was a presence event, and in a cluster a NOTIFY).
   */
  @Test
  @Order(0)
  void aPresenceRefreshAdvancesLastSeenWithoutAnEvent() {
    PortalClient.NewDevice device = portal.client().createDevice();
    try (AgentProcess agent = agent("refresh", device, portal.httpPort());
        EventStream events = EventStream.open(portal.baseUrl(), portal.admin())) {
      awaitOnline(device, true, CONNECT);
      String marker = "\"deviceId\":" + device.id() + ",";
      Await.until(
          "the event of the device coming online",
          CONNECT,
          () -> events.data().stream().anyMatch(d -> d.contains(marker)));
      long announced = presenceEvents(events, marker);
      String seen = lastSeen(device);
      for (int refresh = 1; refresh <= 2; refresh++) {
        String before = seen;
        Await.until(
            "\"last seen\" refreshed (" + refresh + ")",
            REFRESHES,
            () -> !lastSeen(device).equals(before));
        seen = lastSeen(device);
      }
      assertEquals(
          announced,
          presenceEvents(events, marker),
          "presence events of a device that stayed online: " + events.data());
      assertEquals(1, agent.count(AgentProcess.ONLINE), "the tunnel stayed up meanwhile");
    }
  }

  /** Two presence intervals of the tests' portals (2 s) and a busy machine's slack. */
  private static final Duration REFRESHES = Duration.ofSeconds(10);

  private static String lastSeen(PortalClient.NewDevice device) {
    return portal.client().device(device.id()).path("lastSeen").asText();
  }

  private static long presenceEvents(EventStream events, String marker) {
    return events.data().stream()
        .filter(d -> d.contains("\"type\":\"presence\"") && d.contains(marker))
        .count();
  }

  @Test
  @Order(1)
  void theDeviceShowsItsAgentAndTargetsAndGoesOfflineWhenTheAgentIsKilled() {
    PortalClient.NewDevice device = portal.client().createDevice();
    try (SocatPty pty = SocatPty.open();
        AgentProcess agent =
            AgentProcess.start(
                "presence",
                tunnelUrl(portal.httpPort()),
                device.token(),
                List.of(
                    "console=serial:" + pty.devicePath() + "?baud=115200",
                    "echo=tcp:127.0.0.1:" + echo.port()),
                List.of())) {
      awaitOnline(device, true, CONNECT);
      JsonNode d = portal.client().device(device.id());
      assertEquals(AgentProcess.jarVersion(), d.path("agentVersion").asText(), d.toString());
      assertEquals("127.0.0.1", d.path("remoteAddress").asText(), d.toString());
      assertTrue(d.hasNonNull("lastSeen"), d.toString());
      Map<String, String> kinds = new TreeMap<>();
      d.path("targets").forEach(t -> kinds.put(t.path("name").asText(), t.path("kind").asText()));
      assertEquals(
          Map.of("console", "serial", "echo", "tcp"), kinds, "targets: " + d.path("targets"));

      long killed = System.nanoTime();
      agent.kill9();
      Duration took = awaitOffline(device, killed);
      System.out.println(
          "[liveness] offline " + took.toMillis() + " ms after kill -9 of the agent");
      assertTrue(
          took.compareTo(DEAD_AFTER.plus(MARGIN)) <= 0,
          "offline only " + took.toMillis() + " ms after the agent died");
    }
  }

  @Test
  @Order(2)
  void aFrozenAgentIsDeclaredDeadAndReconnectsWhenItThaws() {
    PortalClient.NewDevice device = portal.client().createDevice();
    try (AgentProcess agent = agent("sigstop", device, portal.httpPort())) {
      agent.awaitOnline(CONNECT);
      awaitOnline(device, true, CONNECT);

      long frozen = System.nanoTime();
      agent.freeze();
      Duration took = awaitOffline(device, frozen);
      System.out.println(
          "[liveness] portal declared a SIGSTOPped agent dead after " + took.toMillis() + " ms");
      assertTrue(
          took.compareTo(DEAD_AFTER.plus(MARGIN)) <= 0,
          "the portal took " + took.toMillis() + " ms to notice a frozen agent");

      agent.thaw();
      agent.awaitLog(AgentProcess.ONLINE, 2, CONNECT);
      awaitOnline(device, true, CONNECT);
      System.out.println("[liveness] after SIGCONT the agent logged: " + closeLines(agent));
    }
  }

  @Test
  @Order(3)
  void aBlackHoledPathIsDeclaredDeadOnBothSidesAndHealsByItself() {
    PortalClient.NewDevice device = portal.client().createDevice();
    try (TcpRelay relay = TcpRelay.to(portal.httpPort());
        AgentProcess agent = agent("relay", device, relay.port())) {
      agent.awaitOnline(CONNECT);
      awaitOnline(device, true, CONNECT);

      long frozen = System.nanoTime();
      relay.freeze();
      Duration portalSide = awaitOffline(device, frozen);
      // the agent's own verdict (the portal's close frame cannot cross the frozen relay)
      agent.awaitLog(
          "tunnel closed (4006 heartbeat-timeout: nothing heard from the portal",
          DEAD_AFTER.plus(MARGIN));
      Duration agentSide = Duration.ofNanos(System.nanoTime() - frozen);
      System.out.println(
          "[liveness] black-holed path: portal declared the tunnel dead after "
              + portalSide.toMillis()
              + " ms, the agent within "
              + agentSide.toMillis()
              + " ms");
      assertTrue(
          portalSide.compareTo(DEAD_AFTER.plus(MARGIN)) <= 0,
          "the portal took " + portalSide.toMillis() + " ms");
      assertTrue(
          agentSide.compareTo(DEAD_AFTER.plus(MARGIN)) <= 0,
          "the agent took " + agentSide.toMillis() + " ms");

      relay.heal();
      agent.awaitLog(AgentProcess.ONLINE, 2, CONNECT);
      awaitOnline(device, true, CONNECT);
    }
  }

  @Test
  @Order(4)
  void reconnectsLeaveNoOldSessionBehindInTheAgent() {
    PortalClient.NewDevice device = portal.client().createDevice();
    int drops = 3;
    try (TcpRelay relay = TcpRelay.to(portal.httpPort());
        AgentProcess agent = agent("sessions", device, relay.port())) {
      agent.awaitOnline(CONNECT);
      for (int i = 1; i <= drops; i++) {
        relay.dropConnections();
        agent.awaitLog(AgentProcess.ONLINE, i + 1, CONNECT);
      }
      // the current session, and at most one that is just being let go
      long sessions = agent.liveInstances("io.tether.agent.AgentSession");
      System.out.println(
          "[liveness] live AgentSession objects after " + drops + " reconnects: " + sessions);
      assertTrue(
          sessions <= 2,
          sessions
              + " AgentSession objects are still reachable after "
              + drops
              + " reconnects: every old tunnel is kept alive");
    }
  }

  @Test
  @Order(5)
  void rotatingTheDeviceTokenDropsTheTunnelAndTheOldTokenIsRefused() {
    PortalClient.NewDevice device = portal.client().createDevice();
    try (AgentProcess agent = agent("rotate", device, portal.httpPort())) {
      agent.awaitOnline(CONNECT);
      awaitOnline(device, true, CONNECT);

      String newToken = portal.client().rotateDeviceToken(device.id());
      agent.awaitLog("tunnel closed (4002 revoked", Duration.ofSeconds(10));
      awaitOnline(device, false, Duration.ofSeconds(10));

      // the running agent now waits minutes before retrying (revoked); its next start retries at
      // once, with the token it was given
      agent.process().stop(Duration.ofSeconds(10));
      agent.start();
      agent.awaitLog("the portal refused the device token (401)", CONNECT);
      assertEquals(0, agent.count(AgentProcess.ONLINE), agent.log());
      assertFalse(portal.client().online(device.id()), "online with a rotated-away token");

      agent.process().stop(Duration.ofSeconds(10));
      agent.writeToken(newToken);
      agent.start();
      agent.awaitOnline(CONNECT);
      awaitOnline(device, true, CONNECT);
    }
  }

  @Test
  @Order(6)
  void afterAPortalRestartTheAgentComesBackByItself() {
    PortalClient.NewDevice device = portal.client().createDevice();
    restarted = agent("restart", device, portal.httpPort());
    restarted.awaitOnline(CONNECT);
    awaitOnline(device, true, CONNECT);

    portal.process().stop();
    restarted.awaitLog("tunnel closed (", Duration.ofSeconds(10));
    portal.process().start();
    long ready = System.nanoTime();
    portal.signInAgain();
    // attempts while the portal was down back off 1, 2, 4, 8 s (each with full jitter): the
    // agent may come back ~15 s after the portal is ready
    restarted.awaitLog(AgentProcess.ONLINE, 2, Duration.ofSeconds(45));
    awaitOnline(device, true, Duration.ofSeconds(10));
    System.out.println(
        "[liveness] agent back "
            + Duration.ofNanos(System.nanoTime() - ready).toMillis()
            + " ms after the restarted portal was ready; it logged "
            + closeLines(restarted));
  }

  /** The restart of the test before, as the agent saw it. */
  @Test
  @Order(7)
  void aStoppingPortalToldTheAgentWhenToComeBack() {
    assertTrue(restarted != null, "runs after afterAPortalRestartTheAgentComesBackByItself");
    String expected =
        "tunnel closed (4005 shutting-down: retry-after="
            + Duration.parse(
                    "PT"
                        + PortalProcess.SHORT_TIMERS
                            .get("TETHER_SHUTDOWN_RETRY_AFTER")
                            .toUpperCase())
                .toSeconds()
            + ")";
    assertTrue(
        restarted.count(expected) == 1,
        "the agent was not told '4005 shutting-down' with the retry-after delay; it logged "
            + closeLines(restarted));
  }

  /**
   * A device that connects while the portal stops is told 503 with Retry-After, before and after
   * its token is checked: welcomed then, its tunnel would end after the audit log's last write
   * (GracefulStopIT found one). Runs last: the portal stays stopped.
   */
  @Test
  @Order(8)
  void aStoppingPortalRefusesNewTunnelsWithRetryAfter() throws Exception {
    PortalClient.NewDevice device = portal.client().createDevice();
    portal.process().process().signal("TERM");
    String answer = "";
    long deadline = System.nanoTime() + STOPPING.toNanos();
    while (System.nanoTime() < deadline && !answer.startsWith("HTTP/1.1 503")) {
      answer = upgradeAnswer(portal.httpPort(), device.token());
    }
    assertTrue(answer.startsWith("HTTP/1.1 503"), "503 while stopping, got: " + answer);
    assertTrue(answer.toLowerCase().contains("\nretry-after: "), "with Retry-After: " + answer);
    assertTrue(answer.contains("shutting down"), "the problem says why: " + answer);
    assertTrue(
        portal.process().process().waitFor(Duration.ofSeconds(30)), "the portal stopped by itself");
  }

  /** A WebSocket upgrade to /tunnel with the device's token; its answer (status and head). */
  private static String upgradeAnswer(int port, String token) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      String request =
          "GET /tunnel HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Protocol: "
              + ProtocolVersion.SUBPROTOCOL
              + "\r\nAuthorization: Bearer "
              + token
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      byte[] head = new byte[4096];
      int n = socket.getInputStream().read(head);
      return n <= 0 ? "" : new String(head, 0, n, StandardCharsets.UTF_8);
    }
  }

  private static List<String> closeLines(AgentProcess agent) {
    return agent.log().lines().filter(l -> l.contains("tunnel closed")).toList();
  }
}
