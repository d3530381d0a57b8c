package io.tether.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.EchoServer;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way tether-cli forward can fail ends in one clear line and a non-zero exit. */
class ForwardCliErrorsIT {
  /** The CLI's JVM start plus one preflight request. */
  private static final Duration RUN = Duration.ofSeconds(30);

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("forward-cli-errors");
  private static EchoServer echo;
  private static AgentProcess agent;
  private static String group;
  private static PortalClient.NewDevice online;
  private static PortalClient.NewDevice offline;
  private static String adminToken;

  @BeforeAll
  static void startPortalAndAgent() {
    group = portal.client().createGroup();
    online = portal.client().createDevice(group);
    offline = portal.client().createDevice(group);
    adminToken = portal.client().createApiToken();
    echo = EchoServer.start();
    agent =
        AgentProcess.start(
            "cli-errors",
            portal.tunnelUrl(),
            online.token(),
            List.of("echo=tcp:127.0.0.1:" + echo.port()),
            List.of());
    Await.until(
        "the device to be online",
        Duration.ofSeconds(30),
        () -> portal.client().online(online.id()));
  }

  @AfterAll
  static void stopAll() {
    for (AutoCloseable c : new AutoCloseable[] {agent, echo}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort: the next one must still be closed
      }
    }
  }

  /** Runs forward DEVICE TARGET with {@code token}; asserts one line and a non-zero exit. */
  private static String failing(String device, String target, int port, String token) {
    JavaProcess.Result r =
        CliProcess.run(
            CliProcess.args(device, target, port, portal.baseUrl(), token, List.of()), RUN);
    System.out.println("[cli-errors] exit " + r.exitCode() + ": " + r.output().strip());
    assertNotEquals(0, r.exitCode(), "exit code 0 for a failure: " + r.output());
    List<String> lines = r.output().strip().lines().toList();
    assertEquals(1, lines.size(), "not exactly one line:\n" + r.output());
    assertTrue(lines.get(0).startsWith("tether-cli: "), lines.get(0));
    return lines.get(0);
  }

  private static String failing(String device, String target, String token) {
    return failing(device, target, Ports.free(), token);
  }

  @Test
  void aBadTokenIsRefused() {
    String line = failing(online.name(), "echo", "tat_not-a-real-token");
    assertTrue(line.contains("refused the API token"), line);
  }

  @Test
  void anUnknownDeviceIsNamed() {
    String line = failing("no-such-device", "echo", adminToken);
    assertTrue(line.contains("no device named 'no-such-device'"), line);
  }

  @Test
  void anOfflineDeviceIsSaidToBeOffline() {
    String line = failing(offline.name(), "echo", adminToken);
    assertTrue(line.contains("'" + offline.name() + "' is offline"), line);
  }

  @Test
  void aTargetTheDeviceDoesNotOfferIsNamedWithWhatItOffers() {
    String line = failing(online.name(), "telnet", adminToken);
    assertTrue(line.contains("offers no target 'telnet'") && line.contains("echo"), line);
  }

  @Test
  void aViewerMayNotForward() {
    PortalClient.NewUser viewer = portal.client().createUser();
    portal.client().grant(viewer.id(), group, "viewer");
    String token =
        PortalClient.signIn(portal.baseUrl(), null, viewer.username(), viewer.password())
            .createApiToken();
    String line = failing(online.name(), "echo", token);
    assertTrue(line.contains("viewer") && line.contains("does not allow"), line);
  }

  @Test
  void aDeviceTheUserMayNotSeeLooksExactlyLikeAnUnknownOne() {
    PortalClient.NewUser outsider = portal.client().createUser(); // no grant on the device's group
    String token =
        PortalClient.signIn(portal.baseUrl(), null, outsider.username(), outsider.password())
            .createApiToken();
    String hidden = failing(online.name(), "echo", token);
    String unknown = failing("no-such-device", "echo", token);
    // docs/api.md: 404 also for a device the caller may not see, so its existence does not leak
    assertEquals(
        unknown.replace("no-such-device", online.name()),
        hidden,
        "the answer for an invisible device differs from an unknown one");
  }

  @Test
  void aListenPortInUseIsReported() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String line = failing(online.name(), "echo", taken.getLocalPort(), adminToken);
      assertTrue(line.contains("address already in use"), line);
    }
  }
}
