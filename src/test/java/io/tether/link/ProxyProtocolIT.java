package io.tether.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.ProxyHeaders;
import io.tether.testing.SocketEnd;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Link and ingress ports behind a balancer (PROXY protocol v2 on): this test stands in for HAProxy,
 * writing the header by hand from loopback, the one trusted proxy. The client the header names is
 * what the allowlist, the audit and the device's address see; a header from any other peer, a
 * connection without one and a client outside the allowlist are refused.
 */
class ProxyProtocolIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The only source a link or raw device here admits: a client beyond the balancer. */
  private static final String CLIENT = "10.1.2.3";

  private static final String BALANCER = "127.0.0.1";

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "proxy-protocol",
          Map.of(
              "TETHER_TRUSTED_PROXIES",
              BALANCER + "/32",
              "TETHER_LINK_PROXY_PROTOCOL",
              "on",
              "TETHER_LINK_BIND",
              BALANCER,
              "TETHER_INGRESS_PROXY_PROTOCOL",
              "on",
              "TETHER_INGRESS_BIND",
              BALANCER));

  private static final Started started = new Started();

  /** A link to an echo device that admits {@link #CLIENT} only. */
  private static int linkPort;

  private static long linkDevice;

  @BeforeAll
  static void echoDeviceWithALink() {
    linkDevice = TestDevices.echo(portal.process(), portal.admin(), null, started::add).id();
    JsonNode link =
        portal
            .admin()
            .post(
                "/api/devices/" + linkDevice + "/links",
                Map.of("target", "echo", "allowCidrs", List.of(CLIENT + "/32")));
    linkPort = link.get("port").asInt();
  }

  @AfterAll
  static void stopDevice() {
    started.close();
  }

  /** A TCP connection from {@code from} (a loopback address) to {@code port} on the portal. */
  private static Socket dial(String from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress(BALANCER, port));
    s.setSoTimeout((int) WAIT.toMillis());
    started.add(s);
    return s;
  }

  private static JsonNode audit(String action) {
    return portal.admin().get("/api/audit?action=" + action).get("items");
  }

  /** Waits for an {@code action} entry from {@code address} whose detail contains {@code text}. */
  private static void awaitAudited(String action, String address, String text) {
    Await.until(
        action + " from " + address + " (" + text + ") in the audit log",
        WAIT,
        () -> {
          for (JsonNode e : audit(action)) {
            if (e.get("address").asText().equals(address)
                && e.get("detail").asText().contains(text)) {
              return true;
            }
          }
          return false;
        });
  }

  @Test
  void theAllowedClientNamedByTheBalancerReachesTheDeviceByteExact() throws Exception {
    // header and payload in one write: what arrives with the header must not be lost
    LinkPortIT.echo(dial(BALANCER, linkPort), ProxyHeaders.proxy(CLIENT), 256 * 1024, 7);
    awaitAudited("session.join", CLIENT, "controller");
  }

  @Test
  void aClientOutsideTheAllowlistIsRefusedAndAuditedUnderItsOwnAddress() throws Exception {
    Socket s = dial(BALANCER, linkPort);
    s.getOutputStream().write(ProxyHeaders.proxy("10.9.9.9"));
    assertEquals(-1, SocketEnd.readOrEnd(s.getInputStream()), "closed");
    awaitAudited("link.refused", "10.9.9.9", "not in the link's allowlist");
  }

  @Test
  void aConnectionWithoutAHeaderIsRefused() throws Exception {
    Socket s = dial(BALANCER, linkPort);
    s.getOutputStream().write("hello device".getBytes(StandardCharsets.US_ASCII));
    assertEquals(-1, SocketEnd.readOrEnd(s.getInputStream()), "closed");
    awaitAudited("link.refused", BALANCER, "no PROXY protocol v2 header");
  }

  @Test
  void aHeaderFromAPeerOutsideTheTrustedProxiesIsRefused() throws Exception {
    String intruder = "127.0.0.2"; // reaches the port, but is not the trusted balancer
    Socket s = dial(intruder, linkPort);
    s.getOutputStream().write(ProxyHeaders.proxy(CLIENT));
    assertEquals(-1, SocketEnd.readOrEnd(s.getInputStream()), "closed");
    awaitAudited("link.refused", intruder, "not a trusted proxy");
  }

  @Test
  void aRawDeviceServerBehindTheBalancerComesOnlineUnderItsOwnAddress() throws Exception {
    JsonNode d =
        portal
            .admin()
            .post(
                "/api/devices",
                Map.of(
                    "name",
                    PortalApi.unique("raw"),
                    "mode",
                    "raw",
                    "allowCidrs",
                    List.of(CLIENT + "/32"),
                    "connectSecret",
                    "TETHER-7"));
    long id = d.get("id").asLong();
    int port = d.get("ingress").get("port").asInt();

    Socket outsider = dial(BALANCER, port);
    outsider.getOutputStream().write(ProxyHeaders.proxy("10.9.9.9"));
    assertEquals(-1, SocketEnd.readOrEnd(outsider.getInputStream()), "10.9.9.9 refused");
    assertFalse(portal.admin().get("/api/devices/" + id).get("online").asBoolean(), "offline");

    // the connect string comes in the same write as the header, as a unit's first bytes would
    Socket unit = dial(BALANCER, port);
    unit.getOutputStream()
        .write(
            ProxyHeaders.concat(
                ProxyHeaders.proxy(CLIENT), "TETHER-7".getBytes(StandardCharsets.US_ASCII)));
    Await.until(
        "the raw device online",
        WAIT,
        () -> portal.admin().get("/api/devices/" + id).get("online").asBoolean());
    assertEquals(
        CLIENT,
        portal.admin().get("/api/devices/" + id).get("remoteAddress").asText(),
        "the device's address is the one the balancer named");
  }
}
