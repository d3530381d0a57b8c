package io.tether.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.session.TerminalClient;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.SocketEnd;
import io.tether.testing.Started;
import io.tether.testing.TestDevices;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Link ports with real processes: host software (a plain TCP client) connects to a port on the
 * portal and is piped to a device target; the allowlist, control rules and restarts hold.
 */
class LinkPortIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int TEN_MB = 10 * 1024 * 1024;

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("links", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  /** A device whose target "echo" is a TCP echo server, online. */
  long echoDevice() {
    return TestDevices.echo(portal.process(), portal.admin(), null, started::add).id();
  }

  JsonNode link(long device, List<String> allow, boolean takeOver) {
    return PortalApi.expect(
        201,
        portal
            .admin()
            .request(
                "POST",
                "/api/devices/" + device + "/links",
                Map.of("target", "echo", "allowCidrs", allow, "takeOver", takeOver)),
        "create a link");
  }

  Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout((int) WAIT.toMillis());
    started.add(s);
    return s;
  }

  @Test
  void hostSoftwareMovesTenMegabytesEachWayByteExact() throws Exception {
    long device = echoDevice();
    JsonNode link = link(device, List.of("127.0.0.1/32"), false);
    assertTrue(link.get("listening").asBoolean(), "the port listens: " + link);
    int port = link.get("port").asInt();
    assertTrue(port >= 20000 && port <= 20999, "from the default pool: " + port);

    long nanos = echo(connect(port), TEN_MB, 1);
    System.out.printf("[links] 10 MiB each way through a link port in %d ms%n", nanos / 1_000_000);
    JsonNode session = portal.admin().get("/api/sessions?device=" + device).get("items").get(0);
    assertEquals("link:" + port, session.get("participants").get(0).get("username").asText());
    assertEquals("link", session.get("participants").get(0).get("via").asText());
  }

  /**
   * A client gone before its join was decided (a port probe, a health check) must not stay in the
   * session: it once joined with a closed socket and held the exclusive control for good.
   */
  @Test
  void aClientThatLeavesAtOnceNeverHoldsTheLink() throws Exception {
    long device = echoDevice();
    int port = link(device, List.of("127.0.0.1/32"), false).get("port").asInt();
    for (int i = 0; i < 5; i++) {
      new Socket(InetAddress.getLoopbackAddress(), port).close();
    }
    Await.until(
        "the probes' session to end",
        WAIT,
        () ->
            portal.admin().get("/api/sessions?live=true&device=" + device).get("items").isEmpty());
    echo(connect(port), 1000, 6);
  }

  @Test
  void aSourceOutsideTheAllowlistIsRefusedAndAudited_anEmptyListAdmitsNobody() throws Exception {
    long device = echoDevice();
    for (List<String> allow : List.of(List.of("10.0.0.0/8"), List.<String>of())) {
      int port = link(device, allow, false).get("port").asInt();
      Socket s = connect(port);
      assertEquals(
          -1, SocketEnd.readOrEnd(s.getInputStream()), "closed at once for allowlist " + allow);
    }
    Await.until(
        "the refusal in the audit log",
        WAIT,
        () -> portal.admin().get("/api/audit?action=link.refused").get("items").size() > 0);
    assertTrue(
        portal.admin().get("/api/sessions?device=" + device).get("items").isEmpty(),
        "no session started");
  }

  @Test
  void aLinkClientIsRefusedWhileABrowserUserControls_unlessTheLinkTakesOver() throws Exception {
    long device = echoDevice();
    int exclusive = link(device, List.of("127.0.0.0/8"), false).get("port").asInt();
    int takeOver = link(device, List.of("127.0.0.0/8"), true).get("port").asInt();
    TerminalClient browser =
        TerminalClient.terminal(portal.baseUrl(), portal.admin(), device, "echo");
    started.add(browser);
    browser.awaitLive();
    browser.awaitSession(s -> s.path("role").asText().equals("controller"));

    Socket refused = connect(exclusive);
    assertEquals(
        -1, SocketEnd.readOrEnd(refused.getInputStream()), "refused while the browser controls");
    Await.until(
        "the refusal audited",
        WAIT,
        () -> portal.admin().get("/api/audit?action=session.refused").get("items").size() > 0);

    int mark = browser.mark();
    Socket taker = connect(takeOver);
    echo(taker, 1000, 3); // takes control: its bytes reach the device and come back
    browser.awaitSessionAfter(mark, s -> s.path("role").asText().equals("observer"));
    Await.until(
        "the take-over audited",
        WAIT,
        () -> portal.admin().get("/api/audit?action=session.take-over").get("items").size() > 0);
    browser.awaitBytes(1000, WAIT); // the observer sees the device's output
    browser.type("ignored".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    browser.awaitControl("input-refused", WAIT);
    JsonNode live =
        portal.admin().get("/api/sessions?live=true&device=" + device).get("items").get(0);
    List<String> roles = new ArrayList<>();
    for (JsonNode p : live.get("participants")) {
      if (p.get("leftAt").isNull()) {
        roles.add(p.get("username").asText() + ":" + p.get("role").asText());
      }
    }
    assertEquals(
        List.of("admin:observer", "link:" + takeOver + ":controller"),
        roles,
        "the browser user observes, the link controls");
  }

  @Test
  void badLinksAreProblemsNamingTheField_deletingClosesThePort() throws Exception {
    long device = echoDevice();
    PortalApi.expect(
        400,
        portal
            .admin()
            .request(
                "POST",
                "/api/devices/" + device + "/links",
                Map.of("target", "echo", "allowCidrs", List.of("127.0.0.1"), "port", 80)),
        "a port outside the pool");
    HttpAssert.field(
        portal
            .admin()
            .request(
                "POST",
                "/api/devices/" + device + "/links",
                Map.of("target", "echo", "allowCidrs", List.of("not-an-address"))),
        400,
        "allowCidrs");
    HttpAssert.field(
        portal
            .admin()
            .request(
                "POST",
                "/api/devices/" + device + "/links",
                Map.of("target", "nope", "allowCidrs", List.of("127.0.0.1"))),
        400,
        "target");
    JsonNode link = link(device, List.of("127.0.0.1"), false);
    HttpAssert.field(
        portal
            .admin()
            .request(
                "POST",
                "/api/devices/" + device + "/links",
                Map.of(
                    "target", "echo", "allowCidrs", List.of(), "port", link.get("port").asInt())),
        409,
        "port");
    Socket client = connect(link.get("port").asInt());
    echo(client, 100, 4);
    PortalApi.expect(
        204,
        portal
            .admin()
            .request(
                "DELETE", "/api/devices/" + device + "/links/" + link.get("id").asLong(), null),
        "delete the link");
    assertEquals(
        -1, SocketEnd.readOrEnd(client.getInputStream()), "the connected client is disconnected");
    Await.until(
        "the port closed",
        WAIT,
        () -> {
          try {
            new Socket(InetAddress.getLoopbackAddress(), link.get("port").asInt()).close();
            return false;
          } catch (IOException e) {
            return true;
          }
        });
  }

  @Test
  void linksSurviveAPortalRestart() throws Exception {
    long device = echoDevice();
    int port = link(device, List.of("127.0.0.1"), false).get("port").asInt();
    portal.process().stop();
    portal.process().start();
    portal.signInAgain();
    Await.until(
        "device online again",
        Duration.ofSeconds(60),
        () -> portal.admin().get("/api/devices/" + device).get("online").asBoolean());
    JsonNode links = portal.admin().get("/api/devices/" + device + "/links").get("items");
    assertTrue(links.get(0).get("listening").asBoolean(), "restored: " + links);
    echo(connect(port), 64 * 1024, 5);
  }

  /** Sends {@code size} random bytes and reads their echo concurrently; checks SHA-256. */
  static long echo(Socket s, int size, long seed) throws Exception {
    return echo(s, new byte[0], size, seed);
  }

  /**
   * {@link #echo(Socket, int, long)} with {@code prefix} (a PROXY header, say) sent first, in the
   * same write as the payload, and not expected back.
   */
  static long echo(Socket s, byte[] prefix, int size, long seed) throws Exception {
    byte[] payload = new byte[size];
    new Random(seed).nextBytes(payload);
    long start = System.nanoTime();
    OutputStream out = s.getOutputStream();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                byte[] both = new byte[prefix.length + size];
                System.arraycopy(prefix, 0, both, 0, prefix.length);
                System.arraycopy(payload, 0, both, prefix.length, size);
                out.write(both);
                out.flush();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    byte[] back = s.getInputStream().readNBytes(size);
    writer.join();
    long nanos = System.nanoTime() - start;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    assertArrayEquals(sha.digest(payload), sha.digest(back), "byte-exact both ways");
    return nanos;
  }
}
