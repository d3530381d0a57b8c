package io.tether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.deviceweb.DeviceWebApp;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.During;
import io.tether.testing.EchoServer;
import io.tether.testing.LoopbackClient;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.Ports;
import io.tether.testing.TestTools;
import io.tether.testing.Transfer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * deploy/caddy/Caddyfile and deploy/nginx/tether.conf in front of the packaged portal, on loopback
 * (Debian's caddy and nginx; a throwaway CA): an agent dials wss:// through each and stays online
 * across three of the proxy's (shortened) idle timeouts, the event stream is not buffered, the CLI
 * forwards 10 MB byte-exact, Chromium signs in and types in a terminal, the session cookie is
 * {@code __Host-} and Secure, HTTP is redirected and HSTS sent; the audit log takes the client's
 * address from X-Forwarded-For only from a trusted proxy. The proxies take turns on one HTTPS port:
 * the portal's public URL (its cookie and Origin rules) names it.
 */
class ReverseProxyIT {
  /** The proxy's idle timeout in this test (the deploy files: 120 s for tunnels). */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

  /** The CLI's bulk transfer through the proxy. */
  private static final long BULK = 10L << 20;

  private static final int HTTPS_PORT = Ports.free();

  /** Device pages' domain: Chromium resolves every *.localhost name to loopback. */
  private static final String WEB_DOMAIN = "devices.localhost";

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "proxied",
          Map.of(
              "TETHER_PUBLIC_URL",
              "https://127.0.0.1:" + HTTPS_PORT,
              "TETHER_TRUSTED_PROXIES",
              "127.0.0.1",
              "TETHER_WEB_DOMAIN",
              "https://" + WEB_DOMAIN + ":" + HTTPS_PORT));

  private static EchoServer echo;
  private static PortalClient.NewDevice device;
  private static String apiToken;

  @BeforeAll
  static void deviceAndEchoServer() {
    TestTools.require("caddy");
    TestTools.require("nginx");
    echo = EchoServer.start();
    device = portal.client().createDevice();
    apiToken = portal.client().createApiToken();
  }

  @AfterAll
  static void stopEcho() {
    if (echo != null) {
      echo.close();
    }
  }

  @Test
  void caddyCarriesTunnelEventsForwardsAndTheBrowser() throws Exception {
    try (ReverseProxy caddy =
        CaddyProxy.start(HTTPS_PORT, Ports.free(), portal.httpPort(), IDLE_TIMEOUT, WEB_DOMAIN)) {
      carriesEverything(caddy);
      servesDevicePagesOnTheirOwnHttpsOrigins(caddy);
    }
  }

  /**
   * The proxy's device-page part (Caddy: on-demand certificates the portal allows per host; nginx:
   * a wildcard certificate): Chromium clicks Open and the device's own page works on {@code
   * https://d-<id>.<domain>}, a download and a WebSocket included; a host that is no device page's
   * gets no certificate from Caddy, and the portal's 421 through nginx.
   */
  private static void servesDevicePagesOnTheirOwnHttpsOrigins(ReverseProxy proxy) throws Exception {
    PortalClient.NewDevice router = portal.client().createDevice();
    try (DeviceWebApp app = new DeviceWebApp();
        AgentProcess agent =
            AgentProcess.create(
                router.name(),
                proxy.tunnelUrl(),
                router.token(),
                List.of("ui=tcp:" + app.address()),
                List.of("--ca", proxy.ca().toString()))) {
      agent.start().awaitOnline(Duration.ofSeconds(30));
      // The agent is online once the portal accepts it; the targets it offers are written with
      // its presence just after, and only an offered TCP target can become a web page.
      Await.until(
          "the portal to record the device online with its targets",
          Duration.ofSeconds(30),
          () -> portal.client().online(router.id()));
      portal
          .client()
          .expect(
              200,
              "PATCH",
              "/api/devices/" + router.id(),
              Map.of("webTargets", Map.of("ui", Map.of("scheme", "http"))));
      ProxyBrowser.openADevicePage(
          proxy,
          Map.of(
              "ADMIN_PASSWORD",
              PortalProcess.ADMIN_PASSWORD,
              "DEVICE_ID",
              Long.toString(router.id()),
              "WEB_DOMAIN",
              WEB_DOMAIN));
    }
    String unknown = "d-" + "a".repeat(26) + "." + WEB_DOMAIN;
    if (proxy instanceof CaddyProxy) {
      assertThrows(
          javax.net.ssl.SSLException.class,
          () -> handshake(proxy, unknown),
          "Caddy gets no certificate for a host the portal does not know");
    } else {
      assertEquals(
          421,
          status(proxy, unknown),
          "behind a wildcard certificate the portal answers an unknown host 421");
    }
  }

  @Test
  void nginxCarriesTunnelEventsForwardsAndTheBrowser() throws Exception {
    try (ReverseProxy nginx =
        NginxProxy.start(HTTPS_PORT, Ports.free(), portal.httpPort(), IDLE_TIMEOUT, WEB_DOMAIN)) {
      carriesEverything(nginx);
      servesDevicePagesOnTheirOwnHttpsOrigins(nginx);
    }
  }

  @Test
  void theAuditLogTakesXForwardedForOnlyFromATrustedProxy() throws Exception {
    try (ReverseProxy nginx =
        NginxProxy.start(HTTPS_PORT, Ports.free(), portal.httpPort(), IDLE_TIMEOUT)) {
      assertEquals("127.0.0.2", loginAddress(nginx), "through nginx, trusted");
    }
    try (ReverseProxy caddy =
        CaddyProxy.start(HTTPS_PORT, Ports.free(), portal.httpPort(), IDLE_TIMEOUT)) {
      assertEquals("127.0.0.2", loginAddress(caddy), "through Caddy, trusted");
    }
    try (ReverseProxy untrusted =
        NginxProxy.untrusted(HTTPS_PORT, Ports.free(), portal.httpPort())) {
      assertEquals(
          "127.0.0.3",
          loginAddress(untrusted),
          "through a proxy the portal does not trust: the proxy's own address");
    }
  }

  /** A TLS handshake with the proxy for {@code host} (SNI), trusting its CA. */
  private static void handshake(ReverseProxy proxy, String host) throws java.io.IOException {
    try (javax.net.ssl.SSLSocket socket = connect(proxy, host)) {
      socket.startHandshake();
    }
  }

  /** The status of {@code GET /} on {@code host} through the proxy. */
  private static int status(ReverseProxy proxy, String host) throws java.io.IOException {
    try (javax.net.ssl.SSLSocket socket = connect(proxy, host)) {
      socket.setSoTimeout(15_000);
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: "
                      + host
                      + ":"
                      + proxy.httpsPort
                      + "\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return Integer.parseInt(answer.split(" ", 3)[1]);
    }
  }

  private static javax.net.ssl.SSLSocket connect(ReverseProxy proxy, String host)
      throws java.io.IOException {
    javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            proxy.trust().getSocketFactory().createSocket("127.0.0.1", proxy.httpsPort);
    javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
    socket.setSSLParameters(parameters);
    return socket;
  }

  /**
   * Signs in from 127.0.0.2 with a forged X-Forwarded-For; the address the audit log recorded for
   * it. The forged one must never be believed: the proxy replaces it with the client's.
   */
  private static String loginAddress(ReverseProxy proxy) throws Exception {
    PortalClient.NewUser user = portal.client().createUser();
    LoopbackClient.Answer login =
        LoopbackClient.post(
            proxy.trust(),
            "127.0.0.2",
            proxy.httpsPort,
            "/api/auth/login",
            "{\"username\":\"" + user.username() + "\",\"password\":\"" + user.password() + "\"}",
            "203.0.113.9");
    assertEquals(200, login.status(), () -> "login through " + proxy.name + ": " + login);
    return portal.client().signInAddress(user.username());
  }

  private static void carriesEverything(ReverseProxy proxy) throws Exception {
    redirectsHttpAndSendsHsts(proxy);
    sessionCookieIsHostPrefixedAndSecure(proxy);
    theLargestBodyTheApiTakesReachesThePortal(proxy);
    BlockingQueue<String> events = eventStream(proxy);
    AgentProcess agent =
        AgentProcess.create(
            device.name(),
            proxy.tunnelUrl(),
            device.token(),
            List.of("echo=tcp:127.0.0.1:" + echo.port()),
            List.of("--ca", proxy.ca().toString()));
    try (agent) {
      agent.start().awaitOnline(Duration.ofSeconds(30));
      String online = "\"deviceId\":" + device.id() + ",\"online\":true";
      Await.until(
          "the online event through " + proxy.name + " (an unbuffered event stream)",
          Duration.ofSeconds(15),
          () -> events.stream().anyMatch(line -> line.contains(online)));

      Duration idle = IDLE_TIMEOUT.multipliedBy(3).plusSeconds(1);
      During.holds(
          "the agent's one tunnel through " + proxy.name + " stays up for " + idle,
          idle,
          () -> agent.count(AgentProcess.ONLINE) == 1 && portal.client().online(device.id()));

      try (CliProcess cli =
              CliProcess.forward(
                  device.name(),
                  "echo",
                  proxy.base(),
                  apiToken,
                  List.of("--ca", proxy.ca().toString()));
          Socket socket = cli.connect()) {
        Transfer.Result result = Transfer.echo(socket, BULK, 7, Duration.ofSeconds(60));
        System.out.println("[proxy] " + proxy.name + ": CLI echo " + result);
        assertTrue(result.exact(), "the 10 MB echo through " + proxy.name + " differs: " + result);
      }

      ProxyBrowser.signInAndUseATerminal(
          proxy,
          Map.of(
              "ADMIN_PASSWORD", PortalProcess.ADMIN_PASSWORD,
              "DEVICE_ID", Long.toString(device.id()),
              "DEVICE_NAME", device.name()));
    }
  }

  private static void redirectsHttpAndSendsHsts(ReverseProxy proxy) throws Exception {
    HttpResponse<Void> plain =
        proxy
            .client()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + proxy.httpPort + "/devices"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertTrue(
        plain.statusCode() == 301 || plain.statusCode() == 308,
        () -> proxy.name + " answers plain HTTP with " + plain.statusCode());
    String location = plain.headers().firstValue("Location").orElse("");
    assertTrue(
        location.startsWith("https://127.0.0.1") && location.endsWith("/devices"),
        () -> proxy.name + " redirects to " + location);
    HttpResponse<String> page = proxy.get("/");
    assertEquals(200, page.statusCode());
    assertTrue(
        page.headers().firstValue("Strict-Transport-Security").orElse("").contains("max-age="),
        () -> proxy.name + " sends no HSTS: " + page.headers().map());
  }

  private static void sessionCookieIsHostPrefixedAndSecure(ReverseProxy proxy) throws Exception {
    LoopbackClient.Answer login =
        LoopbackClient.post(
            proxy.trust(),
            "127.0.0.1",
            proxy.httpsPort,
            "/api/auth/login",
            "{\"username\":\"admin\",\"password\":\"" + PortalProcess.ADMIN_PASSWORD + "\"}",
            "198.18.0.1");
    assertEquals(200, login.status(), () -> "admin login through " + proxy.name + ": " + login);
    String cookie =
        login.header("Set-Cookie").stream()
            .filter(c -> c.contains("tether_session="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no session cookie: " + login.headers()));
    assertTrue(
        cookie.startsWith("__Host-tether_session=") && cookie.contains("Secure"),
        () -> "the session cookie behind " + proxy.name + ": " + cookie);
  }

  /**
   * No endpoint streams a request body (deploy/README.md): the API reads each whole, up to 1 MiB. A
   * body just under that must reach the portal through the proxy (its validation answers, not the
   * proxy's 413), and one over it is refused.
   */
  private static void theLargestBodyTheApiTakesReachesThePortal(ReverseProxy proxy)
      throws Exception {
    HttpResponse<String> under = postDevice(proxy, 1_000_000);
    assertEquals(400, under.statusCode(), () -> proxy.name + ": " + under.body());
    assertTrue(
        under.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
            && under.body().contains("description"),
        () -> "the portal's own answer through " + proxy.name + ": " + under.body());
  }

  /** POST /api/devices with a description of {@code length} bytes (the limit is 1024). */
  private static HttpResponse<String> postDevice(ReverseProxy proxy, int length) throws Exception {
    String body = "{\"name\":\"big-body\",\"description\":\"" + "x".repeat(length) + "\"}";
    return proxy
        .client()
        .send(
            HttpRequest.newBuilder(URI.create(proxy.base() + "/api/devices"))
                .header("Authorization", "Bearer " + apiToken)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The admin's event stream through the proxy (API token), its lines as they arrive. */
  private static BlockingQueue<String> eventStream(ReverseProxy proxy) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(proxy.base() + "/api/events"))
            .header("Authorization", "Bearer " + apiToken)
            .header("Accept", "text/event-stream")
            .build();
    proxy
        .client()
        .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .thenAccept(
            r -> {
              try (Stream<String> body = r.body()) {
                body.forEach(lines::add);
              } catch (RuntimeException e) {
                lines.add("(stream ended: " + e + ")");
              }
            });
    return lines;
  }
}
