package io.tether.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.ConnectProxy;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.Portals;
import io.tether.testing.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's ways to the portal as on real networks: the portal's own TLS with a private CA file
 * (--ca), and a corporate HTTP proxy that demands Basic credentials (--proxy user:password@…).
 */
class AgentTransportIT {
  private static final Duration CONNECT = Duration.ofSeconds(30);

  private static SelfSignedCertificate certificate;
  private static SSLContext trusting;
  private static PortalProcess portal;
  private static PortalClient api;
  private static EchoServer echo;

  @BeforeAll
  static void startTlsPortal() throws Exception {
    Path dir = Build.workDir("agent-transport-tls");
    certificate = SelfSignedCertificate.create(dir, "127.0.0.1");
    trusting = certificate.trustingContext();
    portal =
        Portals.start(
            "agent-transport",
            Map.of(
                "TETHER_TLS_CERT", certificate.certificate().toString(),
                "TETHER_TLS_KEY", certificate.privateKey().toString()),
            p -> p.startOverHttps(trusting));
    api = PortalClient.signIn(baseUrl(), trusting, "admin", PortalProcess.ADMIN_PASSWORD);
    echo = EchoServer.start();
  }

  @AfterAll
  static void stopPortal() {
    if (echo != null) {
      echo.close();
    }
    if (portal != null) {
      portal.close();
    }
  }

  private static String baseUrl() {
    return "https://127.0.0.1:" + portal.httpPort();
  }

  private static String tunnelUrl() {
    return "wss://127.0.0.1:" + portal.httpPort() + "/tunnel";
  }

  private static List<String> targets() {
    return List.of("echo=tcp:127.0.0.1:" + echo.port());
  }

  @Test
  void theAgentTrustsThePortalsCertificateFromACaFile() {
    PortalClient.NewDevice device = api.createDevice();
    try (AgentProcess agent =
        AgentProcess.start(
            "tls",
            tunnelUrl(),
            device.token(),
            targets(),
            List.of("--ca", certificate.certificate().toString()))) {
      agent.awaitOnline(CONNECT);
      Await.until("the device to be online", CONNECT, () -> api.online(device.id()));
    }
  }

  @Test
  void theAgentWithoutTheCaFileRefusesTheUnknownCertificate() {
    PortalClient.NewDevice device = api.createDevice();
    try (AgentProcess agent =
        AgentProcess.start("tls-untrusted", tunnelUrl(), device.token(), targets(), List.of())) {
      agent.awaitLog("cannot connect", CONNECT);
      assertEquals(0, agent.count(AgentProcess.ONLINE), agent.log());
    }
  }

  @Test
  void theAgentGoesThroughAProxyThatRequiresBasicAuth() {
    PortalClient.NewDevice device = api.createDevice();
    try (ConnectProxy proxy = ConnectProxy.start("tether", "pr0xy-secret");
        AgentProcess agent =
            AgentProcess.start(
                "proxy",
                tunnelUrl(),
                device.token(),
                targets(),
                List.of(
                    "--proxy",
                    "http://tether:pr0xy-secret@127.0.0.1:" + proxy.port(),
                    "--ca",
                    certificate.certificate().toString()))) {
      Await.until(
          "the agent to connect through the proxy or be refused",
          CONNECT,
          () -> agent.count(AgentProcess.ONLINE) > 0 || agent.count("(401)") > 0);
      assertEquals(
          0,
          agent.count("refused the device token (401)"),
          "through the proxy the portal saw no device token (the proxy saw "
              + proxy.seenCredentials()
              + "):\n"
              + agent.log());
      Await.until("the device to be online", CONNECT, () -> api.online(device.id()));
      assertTrue(
          proxy.seenCredentials().contains("tether:pr0xy-secret"),
          "the proxy never saw the credentials: " + proxy.seenCredentials());
      assertTrue(proxy.tunnels() >= 1, "no CONNECT tunnel through the proxy");
      System.out.printf(
          "[transport] proxy: %d challenge(s), %d tunnel(s), credentials seen %s%n",
          proxy.challenges(), proxy.tunnels(), proxy.seenCredentials().size());
    }
  }
}
