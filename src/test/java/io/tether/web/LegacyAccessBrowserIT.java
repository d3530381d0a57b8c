package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.mfa.Base32;
import io.tether.mfa.Totp;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.SocatDeviceServer;
import io.tether.testing.Started;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Legacy access in the browser, end to end: the packaged portal, an unmodified device server in
 * TCP-client mode played by socat (a PTY behind it is the serial device), host software played by
 * plain TCP clients, and headless Chromium running frontend/e2e/legacy.mjs as the admin. The admin
 * creates the raw device in the UI and reads its ingress port from the page; this side dials that
 * port with socat, reads and writes the serial line byte-exact, and connects to the link ports the
 * admin creates and removes in the UI.
 */
class LegacyAccessBrowserIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** A refused client is closed at once: far less than this. */
  private static final Duration AT_ONCE = Duration.ofSeconds(5);

  // 127.0.0.1 trusted as a proxy: the browser signs in from its own X-Forwarded-For
  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("legacy-browser", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  /** What one test started; closed after it in reverse order. */
  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  @Test
  void anAdminSetsUpARawDeviceServerAndLinkPortsInTheBrowser() {
    String name = PortalApi.unique("legacy");
    Line line = new Line();
    /** The connected clients of link ports, by port. */
    Map<Integer, Socket> hosts = new ConcurrentHashMap<>();
    AtomicReference<JsonNode> device = new AtomicReference<>();

    Map<String, BrowserDialogue.Handler> handlers = new HashMap<>();
    handlers.put(
        "startDeviceServer",
        r -> {
          int port = r.get("port").asInt();
          JsonNode d = deviceNamed(name);
          device.set(d);
          assertEquals("raw", d.get("mode").asText(), () -> "the device as the API has it: " + d);
          assertEquals(
              port,
              d.get("ingress").get("port").asInt(),
              () -> "the page showed ingress port " + port + "; the API has " + d);
          line.attach(SocatDeviceServer.dial(port));
          return Map.of("id", d.get("id").asLong());
        });
    handlers.put(
        "ptyWrite",
        r -> {
          line.server().print(SerialRig.bytes(r));
          return null;
        });
    handlers.put(
        "ptyExpect",
        r -> {
          line.expectNext(
              SerialRig.bytes(r), Duration.ofMillis(r.path("timeoutMs").asLong(10_000)));
          return null;
        });
    handlers.put("linkRefused", r -> linkRefused(r.get("port").asInt(), line));
    handlers.put(
        "linkConnect",
        r -> {
          Socket s = connect(r.get("port").asInt());
          hosts.put(r.get("port").asInt(), s);
          s.getOutputStream().write(SerialRig.bytes(r));
          s.getOutputStream().flush();
          return Map.of("localPort", s.getLocalPort());
        });
    handlers.put(
        "linkExpect",
        r -> {
          byte[] expected = SerialRig.bytes(r);
          byte[] actual =
              hosts.get(r.get("port").asInt()).getInputStream().readNBytes(expected.length);
          assertArrayEquals(
              expected,
              actual,
              () ->
                  "the host software received "
                      + new String(actual, StandardCharsets.UTF_8)
                      + " from the device");
          return null;
        });
    handlers.put(
        "linkDisconnected",
        r -> {
          Socket s = hosts.get(r.get("port").asInt());
          assertEquals(
              -1, readOrEnd(s.getInputStream()), "the removed link's client is disconnected");
          return null;
        });
    handlers.put(
        "portClosed",
        r -> {
          int port = r.get("port").asInt();
          Await.until("port " + port + " to refuse connections", WAIT, () -> refusesConnect(port));
          return null;
        });

    handlers.put(
        "enrolAdminTotp",
        r -> {
          // the admin's own session, not the fixture's: the fixture's stays as it signed in
          PortalApi api = PortalApi.signIn(portal.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
          String secret =
              PortalApi.expect(200, api.request("POST", "/api/me/totp", null), "enrol")
                  .get("secret")
                  .asText();
          long step = Totp.step(Instant.now());
          JsonNode confirmed =
              PortalApi.expect(
                  200,
                  api.request(
                      "POST",
                      "/api/me/totp/confirm",
                      Map.of("code", Totp.code(Base32.decode(secret), step))),
                  "confirm");
          return Map.of(
              "secret",
              secret,
              "confirmedStep",
              step,
              "group",
              device.get().get("group").asText(),
              "recoveryCode",
              confirmed.get("recoveryCodes").get(0).asText());
        });
    handlers.put(
        "ageSessionFactor",
        r ->
            // the admin's sign-ins' second factor, 10 minutes older: no longer "just now"
            portal
                .process()
                .ageSessionFactors(portal.admin().get("/api/me").get("id").asLong(), 10));

    long startedAt = System.nanoTime();
    BrowserDialogue.run(
        "legacy.mjs",
        "legacy",
        Map.of(
            "TETHER_URL",
            portal.baseUrl(),
            "ADMIN_PASSWORD",
            PortalProcess.ADMIN_PASSWORD,
            "DEVICE_NAME",
            name),
        handlers,
        SCENARIO_TIMEOUT);
    System.out.printf(
        "[legacy] browser scenario passed in %d ms%n", (System.nanoTime() - startedAt) / 1_000_000);

    assertEquals(
        0,
        line.unread().length,
        () ->
            "the device received bytes nobody in control sent: "
                + new String(line.unread(), StandardCharsets.UTF_8));
    long id = device.get().get("id").asLong();
    for (Map.Entry<String, Integer> audited :
        Map.of("link.create", 4, "link.delete", 2).entrySet()) {
      JsonNode entries =
          portal.admin().get("/api/audit?action=" + audited.getKey() + "&device=" + id);
      assertEquals(
          audited.getValue().intValue(),
          entries.get("items").size(),
          () -> audited.getKey() + " audit entries: " + entries);
    }
    JsonNode group =
        StreamSupport.stream(portal.admin().get("/api/groups").get("items").spliterator(), false)
            .filter(g -> g.get("name").asText().equals(device.get().get("group").asText()))
            .findFirst()
            .orElseThrow();
    assertTrue(group.get("requireSecondFactor").asBoolean(), "the groups page: " + group);
    assertEquals(7, group.get("secondFactorTokenDays").asInt(), "the token days: " + group);
    assertEquals(15, group.get("reauthMinutes").asInt(), "the ask-again minutes: " + group);
    JsonNode outside = portal.admin().get("/api/devices/" + id + "/links");
    assertTrue(
        outside.findValues("outsideSecondFactorPolicy").stream().anyMatch(JsonNode::asBoolean),
        () -> "the link port made with the code is outside the policy: " + outside);
    Await.until(
        "the refused link client and the link's take-over in the audit log",
        WAIT,
        () ->
            !portal
                    .admin()
                    .get("/api/audit?action=session.refused&device=" + id)
                    .get("items")
                    .isEmpty()
                && !portal
                    .admin()
                    .get("/api/audit?action=session.take-over&device=" + id)
                    .get("items")
                    .isEmpty());
    for (String png :
        List.of(
            "legacy-created.png",
            "legacy-online.png",
            "legacy-fleet.png",
            "legacy-terminal.png",
            "legacy-links.png",
            "legacy-observing.png",
            "legacy-removed.png",
            "legacy-group-second-factor.png",
            "legacy-link-outside-policy.png")) {
      assertTrue(
          Files.isRegularFile(BrowserScenario.screenshots().resolve(png)), png + " was not saved");
    }
  }

  /** The serial device behind the socat device server, read in order and byte-exact. */
  private final class Line {
    private volatile SocatDeviceServer server;
    private int consumed;

    void attach(SocatDeviceServer s) {
      server = started.add(s);
    }

    SocatDeviceServer server() {
      if (server == null) {
        throw new IllegalStateException("no device server started yet");
      }
      return server;
    }

    /** The next bytes the device received are exactly {@code expected}; they are consumed. */
    synchronized void expectNext(byte[] expected, Duration timeout) {
      SocatDeviceServer s = server();
      try {
        Await.until(
            expected.length + " more bytes on the serial line",
            timeout,
            () -> s.received().length >= consumed + expected.length);
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage()
                + "; the device received "
                + describe(unread())
                + ", expected "
                + describe(expected),
            e);
      }
      byte[] actual = Arrays.copyOfRange(s.received(), consumed, consumed + expected.length);
      assertArrayEquals(
          expected,
          actual,
          () -> "the device received " + describe(unread()) + ", expected " + describe(expected));
      consumed += expected.length;
    }

    /** Bytes the device received that no expectNext consumed. */
    synchronized byte[] unread() {
      byte[] all = server == null ? new byte[0] : server.received();
      return Arrays.copyOfRange(all, Math.min(consumed, all.length), all.length);
    }
  }

  /**
   * A client of the link port while a browser user controls the target: closed at once, and what it
   * sent never reaches the device.
   */
  private Map<String, Object> linkRefused(int port, Line line) throws Exception {
    byte[] before = line.unread();
    long start = System.nanoTime();
    Socket s = connect(port);
    try {
      s.getOutputStream().write("must-not-arrive".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // already closed by the portal: fine
    }
    s.setSoTimeout((int) AT_ONCE.toMillis());
    int read = readOrEnd(s.getInputStream());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(
        -1,
        read,
        "a link client while the browser controls is closed at once (read "
            + read
            + " after "
            + millis
            + " ms)");
    assertArrayEquals(before, line.unread(), "nothing of the refused client reached the device");
    return Map.of("closedAfterMs", millis);
  }

  private Socket connect(int port) throws IOException {
    Socket s = started.add(new Socket());
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) WAIT.toMillis());
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  private static boolean refusesConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** The device named {@code name}, as the API has it. */
  private static JsonNode deviceNamed(String name) {
    for (JsonNode d : portal.admin().get("/api/devices?name=" + name).get("items")) {
      if (name.equals(d.get("name").asText())) {
        return d;
      }
    }
    throw new AssertionError("no device " + name + " in the API");
  }

  /** The next byte, -1 at the end (a reset counts), -2 if nothing came within the timeout. */
  private static int readOrEnd(InputStream in) {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (IOException e) {
      return -1;
    }
  }

  private static String describe(byte[] bytes) {
    return bytes.length
        + " bytes ["
        + HexFormat.ofDelimiter(" ").formatHex(bytes)
        + "] \""
        + new String(bytes, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "·")
        + "\"";
  }
}
