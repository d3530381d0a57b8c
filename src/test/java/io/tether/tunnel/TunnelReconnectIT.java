package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tether.protocol.Frame;
import io.tether.protocol.FrameType;
import io.tether.protocol.Open;
import io.tether.protocol.Reason;
import io.tether.protocol.TunnelCloseCode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.During;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.ScriptedAgent;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One device token, many connections: the same installation reconnecting replaces its old tunnel
 * however the two race; another installation (a cloned SD card) is refused while the first holds.
 */
class TunnelReconnectIT {
  private static final int RECONNECTS = 100;

  /** One handshake on a busy 2-core machine. */
  private static final Duration STEP = Duration.ofSeconds(10);

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("tunnel-reconnect");
  private static EchoServer echo;

  @BeforeAll
  static void startPortal() {
    echo = EchoServer.start();
  }

  @AfterAll
  static void stopPortal() {
    if (echo != null) {
      echo.close();
    }
  }

  private static URI tunnelUri() {
    return URI.create(portal.tunnelUrl());
  }

  @Test
  void aHundredRapidReconnectsWithOneTokenLeaveTheLatestConnectionOnline() throws Exception {
    PortalClient.NewDevice device = portal.client().createDevice();
    String instance = "raw-" + UUID.randomUUID();
    HttpClient http = HttpClient.newHttpClient();
    List<ScriptedAgent> replaced = new ArrayList<>(); // the portal must have closed these
    ScriptedAgent previous = null;
    long started = System.nanoTime();
    for (int i = 0; i < RECONNECTS; i++) {
      // even: the old connection dies first (its close races the new HELLO);
      // odd: it is still up when the new one arrives (the portal must replace it at once)
      if (previous != null && i % 2 == 0) {
        previous.abort();
      } else if (previous != null) {
        replaced.add(previous);
      }
      ScriptedAgent next =
          ScriptedAgent.connect(http, tunnelUri(), device.token(), instance, "echo")
              .get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      int attempt = i;
      assertNotNull(
          next.welcome().handle((w, e) -> w).get(STEP.toMillis(), TimeUnit.MILLISECONDS),
          () ->
              "connection "
                  + attempt
                  + " got no WELCOME: "
                  + next.closed().getNow(null)
                  + " "
                  + next.closeReason());
      previous = next;
    }
    ScriptedAgent last = previous;
    System.out.printf(
        "[reconnect] %d tunnels with one token in %d ms%n",
        RECONNECTS, Duration.ofNanos(System.nanoTime() - started).toMillis());

    for (ScriptedAgent old : replaced) {
      int code = old.closed().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      assertEquals(
          TunnelCloseCode.REPLACED.code(), code, "an older connection: " + old.closeReason());
    }
    assertFalse(last.closed().isDone(), "the latest connection was closed: " + last.closeReason());
    Await.until("the device to be online", STEP, () -> portal.client().online(device.id()));
    // presence writes of the old connections are late by design: none may win over the latest
    During.holds(
        "the device stays online",
        Duration.ofSeconds(5),
        () -> portal.client().online(device.id()));
    assertFalse(last.closed().isDone(), "the latest connection was closed: " + last.closeReason());

    // the portal routes to the latest connection: a forwarded connection arrives there as OPEN
    String token = portal.client().createApiToken();
    try (CliProcess cli = CliProcess.forward(device.name(), "echo", portal.baseUrl(), token);
        Socket socket = cli.connect()) {
      Frame open = last.nextFrame(STEP);
      assertNotNull(open, "no OPEN reached the latest connection");
      assertEquals(FrameType.OPEN, open.type(), open.toString());
      assertEquals("echo", Open.decode(open.payload()).target());
      last.send(
          Frame.channel(
              FrameType.REFUSED,
              open.channel(),
              new Reason(Reason.TARGET_UNAVAILABLE, "a test tunnel").encode()));
      assertEquals(-1, socket.getInputStream().read(), "the refused channel's socket stays open");
    }
    last.abort();
  }

  @Test
  void aSecondInstallationWithTheSameTokenIsRefusedWhileTheFirstStaysConnected() {
    PortalClient.NewDevice device = portal.client().createDevice();
    List<String> targets = List.of("echo=tcp:127.0.0.1:" + echo.port());
    String url = tunnelUri().toString();
    try (AgentProcess first =
        AgentProcess.start("first", url, device.token(), targets, List.of())) {
      first.awaitOnline(Duration.ofSeconds(30));
      Await.until("the device to be online", STEP, () -> portal.client().online(device.id()));
      // another state dir: another instance id, as on a cloned SD card
      try (AgentProcess clone =
          AgentProcess.start("clone", url, device.token(), targets, List.of())) {
        clone.awaitLog("tunnel closed (4004 duplicate-agent", Duration.ofSeconds(30));
        assertEquals(0, clone.count(AgentProcess.ONLINE), clone.log());
        During.holds(
            "the first agent stays connected and the device online",
            Duration.ofSeconds(4),
            () -> first.count("tunnel closed") == 0 && portal.client().online(device.id()));
        assertEquals(1, first.count(AgentProcess.ONLINE), first.log());
      }
    }
  }
}
