package io.tether.access;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.session.TerminalClient;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.EventStream;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live sockets end with their credential: a browser session's idle and absolute timeouts (typing
 * counts as activity; the terminal warns before the absolute end), an API token's expiry. The
 * portal runs with short timeouts: 10 s idle, 320 s absolute (so the 5-minute warning comes 20 s
 * after signing in).
 */
class CredentialLifetimeIT {
  private static final Duration IDLE = Duration.ofSeconds(10);
  private static final Duration WARNED_AFTER = Duration.ofSeconds(20);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "credential-lifetime",
          Map.of(
              "TETHER_TRUSTED_PROXIES",
              "127.0.0.1",
              "TETHER_SESSION_IDLE_TIMEOUT",
              IDLE.toSeconds() + "s",
              "TETHER_SESSION_ABSOLUTE_TIMEOUT",
              (CredentialWatch.WARN_BEFORE.plus(WARNED_AFTER)).toSeconds() + "s"));

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  /** A fresh admin session: sessions idle out in 10 s here, so each test signs in anew. */
  private static PortalApi admin() {
    return PortalApi.signIn(portal.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
  }

  @Test
  void typingKeepsTheTerminalPastTheIdleTimeoutItWarnsBeforeTheEndAndIdlingEndsIt4401()
      throws InterruptedException {
    PortalApi admin = admin();
    long device = TestDevices.echo(portal.process(), admin, null, started::add).id();
    PortalApi user = admin(); // signed in now: its absolute end is 320 s from here
    TerminalClient t =
        started.add(TerminalClient.terminal(portal.baseUrl(), user, device, "echo")).awaitLive();
    Instant typingUntil = Instant.now().plus(WAIT);
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    int received = 0;
    while (t.controls().stream().noneMatch(c -> c.path("type").asText().equals("expiring"))) {
      assertTrue(Instant.now().isBefore(typingUntil), "no expiring warning: " + t.controls());
      t.type(key);
      received += key.length;
      t.awaitBytes(received, WAIT); // the terminal is still live: its echo comes back
      Thread.sleep(500); // a typist's pace, not a wait for something to happen
    }
    String at = t.awaitControl("expiring", WAIT).path("at").asText();
    assertTrue(
        Instant.parse(at).isAfter(Instant.now().plus(Duration.ofMinutes(4))),
        "the warning names the session's absolute end, about 5 min ahead: " + at);

    String closed = t.awaitClosed(WAIT); // no more typing: the session idles out
    assertTrue(closed.startsWith("4401"), "closed with 4401: " + closed);
    assertTrue(closed.contains("credential-expired"), "the reason: " + closed);
  }

  @Test
  void theEventStreamEndsWhenItsBrowserSessionIdlesOut() {
    EventStream events = started.add(EventStream.open(portal.baseUrl(), admin()));
    events.awaitEnd(IDLE.plus(WAIT));
  }

  @Test
  void aForwardSocketEndsAtItsApiTokensExpiry4401() {
    PortalApi admin = admin();
    TestDevices.Device device = TestDevices.echo(portal.process(), admin, null, started::add);
    String name = admin.get("/api/devices/" + device.id()).get("name").asText();
    Instant expiry = Instant.now().plusSeconds(8);
    String token =
        admin
            .post("/api/tokens", Map.of("name", "short", "expiresAt", expiry.toString()))
            .get("token")
            .asText();
    CliProcess cli = started.add(CliProcess.forward(name, "echo", portal.baseUrl(), token));
    Await.until("tether-cli to be told its token expired", WAIT, () -> cli.log().contains("4401"));
    assertTrue(cli.log().contains("4401 credential-expired"), cli.log());
    assertTrue(Instant.now().isAfter(expiry), "the socket ended at the expiry, not before it");
  }
}
