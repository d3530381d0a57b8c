package io.tether.forward;

import static io.tether.testing.Rfc2217Client.SET_BAUDRATE;
import static io.tether.testing.Rfc2217Client.SET_CONTROL;
import static io.tether.testing.Rfc2217Client.SET_DATASIZE;
import static io.tether.testing.Rfc2217Client.SET_PARITY;
import static io.tether.testing.Rfc2217Client.SET_STOPSIZE;
import static io.tether.testing.Rfc2217Client.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.session.TerminalClient;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.CliProcess;
import io.tether.testing.During;
import io.tether.testing.EchoServer;
import io.tether.testing.JavaProcess;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.Ports;
import io.tether.testing.Rfc2217Client;
import io.tether.testing.SocatPty;
import io.tether.testing.TestTools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * tether-cli forward --rfc2217 with real processes: an RFC 2217 client changes the serial settings
 * of a socat PTY the agent holds open (read back with stty), and bytes cross through the Telnet
 * escaping both ways.
 */
class ForwardRfc2217IT {
  /** LINE frames travel CLI → portal → agent and are applied there; generous for a busy CI box. */
  private static final Duration APPLIED = Duration.ofSeconds(15);

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("forward-rfc2217");
  private static PortalClient.NewDevice device;
  private static String apiToken;
  private static SocatPty pty;
  private static EchoServer echo;
  private static AgentProcess agent;
  private static CliProcess cli;
  private static final ExecutorService ptyReader =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pty-reader");
            t.setDaemon(true);
            return t;
          });

  @BeforeAll
  static void start() {
    device = portal.client().createDevice();
    apiToken = portal.client().createApiToken();
    pty = SocatPty.open();
    echo = EchoServer.start();
    agent =
        AgentProcess.start(
            "rfc2217",
            portal.tunnelUrl(),
            device.token(),
            List.of(
                "console=serial:" + pty.devicePath() + "?baud=115200",
                "echo=tcp:127.0.0.1:" + echo.port()),
            List.of());
    Await.until(
        "the device to be online",
        Duration.ofSeconds(30),
        () -> portal.client().online(device.id()));
    cli =
        CliProcess.forward(
            device.name(), "console", portal.baseUrl(), apiToken, List.of("--rfc2217"));
  }

  @AfterAll
  static void stop() {
    ptyReader.shutdownNow();
    for (AutoCloseable c : new AutoCloseable[] {cli, agent, echo, pty}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort: the next one must still be closed
      }
    }
  }

  /**
   * A Linux PTY keeps the speed and CSTOPB it is given but forces CS8 and clears PARENB
   * (drivers/tty/pty.c, pty_set_termios), so {@code stty} can never show cs7 or parenb on the
   * device side. What jSerialComm writes next to them does stick and is exact: ISTRIP exactly when
   * fewer than 8 data bits, INPCK exactly when parity is on, PARODD for odd and mark, CMSPAR for
   * mark and space. Those are asserted for the data bits and each parity.
   */
  @Test
  void anRfc2217ClientSetsBaudDataBitsParityAndStopBitsOfTheDevicesPort() throws Exception {
    try (Rfc2217Client client = open()) {
      setLine(client, 19200, 8, 1, 1); // 8N1: a known starting point
      awaitStty("speed 19200 baud", "-cstopb", "-istrip", "-inpck");

      assertArrayEquals(u32(9600), client.command(SET_BAUDRATE, u32(9600)), "baud reply");
      assertArrayEquals(new byte[] {7}, client.command(SET_DATASIZE, (byte) 7), "datasize reply");
      assertArrayEquals(new byte[] {3}, client.command(SET_PARITY, (byte) 3), "parity (even)");
      assertArrayEquals(new byte[] {2}, client.command(SET_STOPSIZE, (byte) 2), "stop size (2)");
      // 9600 baud, 7 data bits (istrip), even parity (inpck -parodd -cmspar), 2 stop bits
      awaitStty("speed 9600 baud", "cstopb", "istrip", "inpck", "-parodd", "-cmspar");

      assertArrayEquals(new byte[] {2}, client.command(SET_PARITY, (byte) 2), "parity (odd)");
      awaitStty("speed 9600 baud", "inpck", "parodd", "-cmspar");
      assertArrayEquals(new byte[] {4}, client.command(SET_PARITY, (byte) 4), "parity (mark)");
      awaitStty("speed 9600 baud", "inpck", "parodd", "cmspar");
      assertArrayEquals(new byte[] {5}, client.command(SET_PARITY, (byte) 5), "parity (space)");
      awaitStty("speed 9600 baud", "inpck", "-parodd", "cmspar");
    }
  }

  @Test
  void everyByteValueCrossesTheTelnetEscapingBothWays() throws Exception {
    byte[] all = new byte[512];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i; // every value twice, 0xFF next to 0x00 and 0xFE
    }
    try (Rfc2217Client client = open();
        RandomAccessFile serial = pty.openTestSide()) {
      setLine(client, 115200, 8, 1, 1);
      // the control lines and a BREAK pass without disturbing the channel
      assertArrayEquals(new byte[] {8}, client.command(SET_CONTROL, (byte) 8), "DTR on");
      assertArrayEquals(new byte[] {11}, client.command(SET_CONTROL, (byte) 11), "RTS on");
      assertArrayEquals(new byte[] {5}, client.command(SET_CONTROL, (byte) 5), "BREAK on");
      assertArrayEquals(new byte[] {6}, client.command(SET_CONTROL, (byte) 6), "BREAK off");
      awaitStty("speed 115200 baud", "cs8", "-parenb", "-cstopb");

      client.write(all);
      assertArrayEquals(all, readPty(serial, all.length), "client → serial device");
      serial.write(all);
      assertArrayEquals(all, client.readData(all.length), "serial device → client");
    }
  }

  /**
   * A plain forward (no --rfc2217) to a serial target: a serial line has no half-close, so when a
   * client disconnects its channel ends and the port is free for the next client at once, instead
   * of staying busy until the device happens to print something.
   */
  @Test
  void aPlainForwardClientLeavingFreesTheSerialPortForTheNext() throws Exception {
    try (CliProcess plain =
            CliProcess.forward(device.name(), "console", portal.baseUrl(), apiToken);
        RandomAccessFile serial = pty.openTestSide()) {
      for (String line : new String[] {"first\n", "second\n", "third\n"}) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        Socket client = connectedThrough(plain, serial, Duration.ofSeconds(20));
        try {
          client.getOutputStream().write(bytes);
          assertArrayEquals(
              bytes, readPty(serial, bytes.length), line.trim() + " reached the port");
        } finally {
          closeQuietly(client);
        }
      }
    }
  }

  /**
   * A client of {@code cli} whose channel to the console is open: the device prints a ping until
   * the client sees it. The CLI closes a client whose channel was refused (the last test's channel
   * may still be closing); that client is replaced. Each attempt is short, and the whole is
   * bounded.
   */
  private static Socket connectedThrough(CliProcess cli, RandomAccessFile serial, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    byte[] ping = "~ping~".getBytes(StandardCharsets.US_ASCII);
    while (System.nanoTime() < deadline) {
      Socket client = new Socket(InetAddress.getLoopbackAddress(), cli.port());
      client.setSoTimeout(500);
      try {
        for (int i = 0; i < 10; i++) {
          serial.write(ping);
          byte[] got = new byte[64];
          int n;
          try {
            n = client.getInputStream().read(got);
          } catch (java.net.SocketTimeoutException e) {
            continue; // the channel is not open yet
          }
          if (n < 0) {
            break; // refused (the port was still busy): try a new client
          }
          // drain the other pings already on their way, then the channel is ours
          client.setSoTimeout(300);
          try {
            while (client.getInputStream().read(got) > 0) {
              // discard
            }
          } catch (java.net.SocketTimeoutException drained) {
            client.setSoTimeout(0);
            return client;
          }
          break;
        }
      } catch (IOException e) {
        // closed under us: try again
      }
      closeQuietly(client);
    }
    throw new AssertionError("no client of the CLI got an open channel within " + within);
  }

  /** pyserial's rfc2217 client (python3-serial): opens, sets 57600 8O2, sends, then receives. */
  private static final String PYSERIAL =
      """
      import sys, time, serial
      deadline = time.time() + 20
      while True:  # the console takes one channel at a time: the last test's may still be closing
          try:
              s = serial.serial_for_url(sys.argv[1], baudrate=57600, bytesize=8, parity='O',
                                        stopbits=2, timeout=20)
              break
          except serial.SerialException:
              if time.time() > deadline:
                  raise
              time.sleep(0.1)
      s.write(bytes(range(256)))
      s.flush()
      print('received ' + s.read(256).hex(), flush=True)
      s.close()
      """;

  @Test
  void pyserialsRfc2217ClientConfiguresThePortAndMovesEveryByteValue() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    TestTools.require("python3-serial"); // a message now, not a timeout waiting for stty later
    // Debian's interpreter, which python3-serial installs into (a python3 earlier on PATH, such as
    // a pyenv shim, may lack pyserial)
    Process py =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                PYSERIAL,
                "rfc2217://127.0.0.1:" + cli.port() + "?timeout=10")
            .redirectErrorStream(true)
            .start();
    try (RandomAccessFile serial = pty.openTestSide()) {
      // 8 data bits (-istrip), odd parity (inpck parodd), 2 stop bits
      awaitStty("speed 57600 baud", "cstopb", "-istrip", "inpck", "parodd", "-cmspar");
      assertArrayEquals(all, readPty(serial, all.length), "pyserial → serial device");
      serial.write(all);
      assertTrue(py.waitFor(60, TimeUnit.SECONDS), "pyserial did not finish");
      String out = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, py.exitValue(), "pyserial failed (apt-get install python3-serial):\n" + out);
      assertTrue(
          out.contains("received " + HexFormat.of().formatHex(all)),
          "serial device → pyserial:\n" + out);
    } finally {
      py.destroyForcibly();
    }
  }

  /**
   * A forward to a serial target is a participant of the target's session: refused (naming the
   * controller) while a browser controls, taking control with --take-over (the browser becomes an
   * observer), its typed bytes reaching the port and the recording, and recorded as {@code cli}.
   */
  @Test
  void aSerialForwardJoinsTheSessionRefusedWhileSomeoneControlsUnlessItTakesOver()
      throws Exception {
    // the device's own group records keystrokes for this test (moving the device to another group
    // would revoke every forward socket on it, the other tests' CLI too)
    long group = groupId("default");
    portal.client().expect(200, "PATCH", "/api/groups/" + group, Map.of("recording", "all"));
    PortalClient.NewUser operator = portal.client().createUser();
    portal.client().grant(operator.id(), "default", "operator");
    PortalApi browserUser =
        PortalApi.signIn(portal.baseUrl(), operator.username(), operator.password());
    TerminalClient browser = null;
    CliProcess busy = null;
    CliProcess takeOver = null;
    Socket refused = null;
    Socket client = null;
    try (RandomAccessFile serial = pty.openTestSide()) {
      browser = awaitController(browserUser);
      long session = browser.awaitSession(s -> s.path("id").isNumber()).get("id").asLong();

      busy = CliProcess.forward(device.name(), "console", portal.baseUrl(), apiToken);
      refused = busy.connect();
      refused.setSoTimeout(20_000);
      assertEquals(-1, refused.getInputStream().read(), "a refused channel closes the client");
      CliProcess b = busy;
      Await.until(
          "the CLI to print that " + operator.username() + " controls the target",
          Duration.ofSeconds(20),
          () ->
              b.log()
                  .contains("refused, the target is busy: controlled by " + operator.username()));
      assertTrue(b.log().contains("--take-over"), b.log());

      takeOver =
          CliProcess.forward(
              device.name(), "console", portal.baseUrl(), apiToken, List.of("--take-over"));
      int mark = browser.mark();
      client = takeOver.connect();
      browser.awaitSessionAfter(
          mark,
          s ->
              s.path("role").asText().equals("observer")
                  && s.path("controller").asText().equals("admin"));
      byte[] typed = "typed-through-the-cli\n".getBytes(StandardCharsets.US_ASCII);
      client.getOutputStream().write(typed);
      assertArrayEquals(typed, readPty(serial, typed.length), "CLI → serial device");
      byte[] answer = "answer-from-the-device".getBytes(StandardCharsets.US_ASCII);
      serial.write(answer);
      client.setSoTimeout(20_000);
      assertArrayEquals(answer, client.getInputStream().readNBytes(answer.length), "→ CLI");
      browser.awaitReceived(answer, Duration.ofSeconds(20));

      client.close();
      browser.close();
      Await.until(
          "session " + session + " to end",
          Duration.ofSeconds(20),
          () ->
              portal
                  .client()
                  .expect(200, "GET", "/api/sessions/" + session, null)
                  .path("state")
                  .asText()
                  .equals("ended"));
      JsonNode row = portal.client().expect(200, "GET", "/api/sessions/" + session, null);
      assertTrue(hasSpan(row, "admin", "controller", "cli"), "the CLI's controller span: " + row);
      assertTrue(
          hasSpan(row, operator.username(), "observer", "browser"),
          "the browser became an observer: " + row);
      PortalApi admin = PortalApi.signIn(portal.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
      Await.until(
          "the typed bytes in the recording",
          Duration.ofSeconds(20),
          () -> recording(admin, session).contains("typed-through-the-cli"));
    } finally {
      for (AutoCloseable c : new AutoCloseable[] {client, refused, takeOver, busy, browser}) {
        if (c != null) {
          try {
            c.close();
          } catch (Exception ignored) {
            // the next one must still be closed
          }
        }
      }
      portal.client().expect(200, "PATCH", "/api/groups/" + group, Map.of("recording", "output"));
    }
  }

  /**
   * Each forward socket's use of a TCP target is one session row (kind forward): started at its
   * first channel, counting channels and bytes while live, ended when the socket closes; never
   * recorded.
   */
  @Test
  void aForwardSocketsUseOfATcpTargetIsOneUnrecordedSessionRow() throws Exception {
    byte[] ping = "ping-through-a-forward".getBytes(StandardCharsets.US_ASCII);
    long session;
    try (CliProcess tcp = CliProcess.forward(device.name(), "echo", portal.baseUrl(), apiToken)) {
      for (int i = 0; i < 2; i++) {
        try (Socket client = tcp.connect()) {
          client.setSoTimeout(20_000);
          client.getOutputStream().write(ping);
          assertArrayEquals(ping, client.getInputStream().readNBytes(ping.length), "echoed");
        }
      }
      JsonNode[] live = {null};
      Await.until(
          "one live forward session with 2 channels and the bytes both ways",
          Duration.ofSeconds(20),
          () -> {
            live[0] = forwardSession(true);
            return live[0] != null
                && live[0].get("channels").asInt() == 2
                && live[0].get("bytesIn").asLong() == 2L * ping.length
                && live[0].get("bytesOut").asLong() == 2L * ping.length
                && hasSpan(live[0], "admin", "controller", "cli");
          });
      session = live[0].get("id").asLong();
      assertEquals("echo", live[0].get("target").asText());
    }
    Await.until(
        "the forward session to end when the CLI's socket closed",
        Duration.ofSeconds(20),
        () ->
            portal
                .client()
                .expect(200, "GET", "/api/sessions/" + session, null)
                .path("state")
                .asText()
                .equals("ended"));
    JsonNode ended = portal.client().expect(200, "GET", "/api/sessions/" + session, null);
    assertEquals("closed-by-user", ended.get("closeReason").asText(), ended.toString());
    assertEquals(2, ended.get("channels").asInt(), ended.toString());
    assertEquals(2L * ping.length, ended.get("bytesIn").asLong(), ended.toString());
    assertEquals(2L * ping.length, ended.get("bytesOut").asLong(), ended.toString());
    assertEquals("off", ended.get("recording").get("policy").asText(), "never recorded");
  }

  /**
   * An admin ending a live forward session closes its channels with the reason the CLI prints, and
   * the row reads back ended-by-admin at once; the next channel starts another session.
   */
  @Test
  void anAdminEndingAForwardSessionClosesItsChannels() throws Exception {
    byte[] ping = "ended-by-an-admin".getBytes(StandardCharsets.US_ASCII);
    try (CliProcess tcp = CliProcess.forward(device.name(), "echo", portal.baseUrl(), apiToken);
        Socket client = tcp.connect()) {
      client.setSoTimeout(20_000);
      client.getOutputStream().write(ping);
      assertArrayEquals(ping, client.getInputStream().readNBytes(ping.length), "echoed");
      JsonNode[] live = {null};
      Await.until(
          "a live forward session",
          Duration.ofSeconds(20),
          () -> (live[0] = forwardSession(true)) != null);
      long session = live[0].get("id").asLong();

      portal.client().expect(204, "DELETE", "/api/sessions/" + session, null);
      JsonNode ended = portal.client().expect(200, "GET", "/api/sessions/" + session, null);
      assertEquals("ended-by-admin", ended.path("closeReason").asText(), ended.toString());
      assertEquals(-1, client.getInputStream().read(), "the session's channel closes");
      Await.until(
          "the CLI to print why the channel closed",
          Duration.ofSeconds(20),
          () -> tcp.log().contains("ended-by-admin"));

      try (Socket again = tcp.connect()) {
        again.setSoTimeout(20_000);
        again.getOutputStream().write(ping);
        assertArrayEquals(ping, again.getInputStream().readNBytes(ping.length), "echoed again");
      }
      JsonNode next = forwardSession(true);
      assertTrue(
          next != null && next.get("id").asLong() != session,
          "a channel after the end starts another session: " + next);
    }
  }

  /**
   * A group that records everything refuses forwards to TCP targets (they are never recorded), with
   * a reason the CLI prints, until an admin sets allowUnrecorded on it.
   */
  @Test
  void aGroupRecordingEverythingRefusesTcpForwardsUnlessItAllowsUnrecorded() throws Exception {
    long group = groupId("default");
    byte[] ping = "unrecorded-ping".getBytes(StandardCharsets.US_ASCII);
    JsonNode all =
        portal.client().expect(200, "PATCH", "/api/groups/" + group, Map.of("recording", "all"));
    assertEquals(false, all.get("allowUnrecorded").asBoolean(), all.toString());
    try (CliProcess tcp = CliProcess.forward(device.name(), "echo", portal.baseUrl(), apiToken)) {
      try (Socket refused = tcp.connect()) {
        refused.setSoTimeout(20_000);
        assertEquals(-1, refused.getInputStream().read(), "a refused channel closes the client");
      }
      Await.until(
          "the CLI to print the recording-required refusal",
          Duration.ofSeconds(20),
          () -> tcp.log().contains("refused: recording-required: group 'default' records"));

      JsonNode allowed =
          portal
              .client()
              .expect(200, "PATCH", "/api/groups/" + group, Map.of("allowUnrecorded", true));
      assertEquals(true, allowed.get("allowUnrecorded").asBoolean(), allowed.toString());
      try (Socket client = tcp.connect()) {
        client.setSoTimeout(20_000);
        client.getOutputStream().write(ping);
        assertArrayEquals(ping, client.getInputStream().readNBytes(ping.length), "echoed");
      }
    } finally {
      portal
          .client()
          .expect(
              200,
              "PATCH",
              "/api/groups/" + group,
              Map.of("recording", "output", "allowUnrecorded", false));
    }
  }

  /** The newest forward session on the test device (live or ended), or null. */
  private static JsonNode forwardSession(boolean live) {
    for (JsonNode s :
        portal
            .client()
            .expect(200, "GET", "/api/sessions?device=" + device.id() + "&live=" + live, null)
            .get("items")) {
      if (s.path("kind").asText().equals("forward")) {
        return s;
      }
    }
    return null;
  }

  /**
   * RFC 2217 settings from a forward reach the device only while its channel controls the session:
   * once a browser took control, the forward's SET-BAUDRATE changes nothing on the port.
   */
  @Test
  void onlyTheControllingForwardsSerialSettingsReachTheDevice() throws Exception {
    PortalApi admin = PortalApi.signIn(portal.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
    try (CliProcess taking =
            CliProcess.forward(
                device.name(),
                "console",
                portal.baseUrl(),
                apiToken,
                List.of("--rfc2217", "--take-over"));
        Rfc2217Client client = open(taking)) {
      assertArrayEquals(u32(19200), client.command(SET_BAUDRATE, u32(19200)), "as controller");
      awaitStty("speed 19200 baud");
      TerminalClient browser =
          TerminalClient.terminal(portal.baseUrl(), admin, device.id(), "console");
      try {
        browser.awaitSession(s -> s.path("role").asText().equals("observer"));
        int mark = browser.mark();
        browser.control("{\"type\":\"take-over\"}");
        browser.awaitSessionAfter(mark, s -> s.path("role").asText().equals("controller"));
        assertArrayEquals(u32(38400), client.command(SET_BAUDRATE, u32(38400)), "as observer");
        During.holds(
            "the port to stay at 19200 baud",
            Duration.ofSeconds(2),
            () -> stty().contains("speed 19200 baud"));
      } finally {
        browser.close();
      }
    }
  }

  /** A browser terminal on the console that controls: retried while the last test's ends. */
  private static TerminalClient awaitController(PortalApi user) {
    TerminalClient[] browser = new TerminalClient[1];
    Await.until(
        "a browser terminal controlling the console",
        Duration.ofSeconds(30),
        () -> {
          TerminalClient t =
              TerminalClient.terminal(portal.baseUrl(), user, device.id(), "console");
          try {
            t.awaitLive();
            t.awaitSession(s -> s.path("role").asText().equals("controller"));
            browser[0] = t;
            return true;
          } catch (AssertionError e) {
            t.close(); // the port was still busy with the last test's channel
            return false;
          }
        });
    return browser[0];
  }

  private static boolean hasSpan(JsonNode session, String user, String role, String via) {
    for (JsonNode p : session.get("participants")) {
      if (p.path("username").asText().equals(user)
          && p.path("role").asText().equals(role)
          && p.path("via").asText().equals(via)) {
        return true;
      }
    }
    return false;
  }

  private static long groupId(String name) {
    for (JsonNode g : portal.client().expect(200, "GET", "/api/groups", null).get("items")) {
      if (g.get("name").asText().equals(name)) {
        return g.get("id").asLong();
      }
    }
    throw new AssertionError("no group " + name);
  }

  /** The session's asciicast export (input events included under policy all), as text. */
  private static String recording(PortalApi admin, long session) {
    try {
      return cast(admin, session);
    } catch (Exception e) {
      throw new AssertionError("export failed: " + e, e);
    }
  }

  private static String cast(PortalApi admin, long session) throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            portal.baseUrl()
                                + "/api/sessions/"
                                + session
                                + "/recording?format=cast"))
                    .header("Cookie", admin.cookie())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : "";
  }

  @Test
  void aTcpTargetIsRefusedWithOneClearLine() {
    JavaProcess.Result r =
        CliProcess.run(
            CliProcess.args(
                device.name(),
                "echo",
                Ports.free(),
                portal.baseUrl(),
                apiToken,
                List.of("--rfc2217")),
            Duration.ofSeconds(30));
    assertNotEquals(0, r.exitCode(), r.output());
    List<String> lines = r.output().strip().lines().toList();
    assertEquals(1, lines.size(), r.output());
    assertTrue(
        lines.get(0).startsWith("tether-cli: ") && lines.get(0).contains("is a tcp target"),
        lines.get(0));
  }

  /**
   * A negotiated connection to the console. The serial port takes one channel at a time, and the
   * previous test's channel may not be released yet: a refused channel closes the connection, so
   * try again.
   */
  private static Rfc2217Client open() {
    return open(cli);
  }

  private static Rfc2217Client open(CliProcess cli) {
    Rfc2217Client[] client = new Rfc2217Client[1];
    IOException[] last = new IOException[1];
    try {
      Await.until(
          "an RFC 2217 connection to the console",
          Duration.ofSeconds(20),
          () -> {
            Socket socket = cli.connect();
            try {
              client[0] = Rfc2217Client.negotiate(socket);
              return true;
            } catch (IOException e) { // closed (refused) or reset: the port is still taken
              last[0] = e;
              closeQuietly(socket);
              return false;
            }
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (last: " + last[0] + ")\n" + cli.log(), e);
    }
    return client[0];
  }

  /** Sets baud, data bits, parity and stop bits (RFC 2217 codes), asserting every reply. */
  private static void setLine(Rfc2217Client c, int baud, int dataBits, int parity, int stop)
      throws IOException {
    assertArrayEquals(u32(baud), c.command(SET_BAUDRATE, u32(baud)));
    assertArrayEquals(new byte[] {(byte) dataBits}, c.command(SET_DATASIZE, (byte) dataBits));
    assertArrayEquals(new byte[] {(byte) parity}, c.command(SET_PARITY, (byte) parity));
    assertArrayEquals(new byte[] {(byte) stop}, c.command(SET_STOPSIZE, (byte) stop));
  }

  /** Waits until {@code stty -a} of the agent's side of the PTY shows every expected setting. */
  private static void awaitStty(String speed, String... flags) {
    String[] last = {""};
    try {
      Await.until(
          speed + " " + String.join(" ", flags) + " on " + pty.devicePath(),
          APPLIED,
          () -> {
            last[0] = stty();
            List<String> words = Arrays.asList(last[0].split("[\\s;]+"));
            return last[0].contains(speed) && words.containsAll(List.of(flags));
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; stty -a said:\n" + last[0], e);
    }
  }

  private static String stty() {
    try {
      Process p =
          new ProcessBuilder("stty", "-F", pty.devicePath(), "-a")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run stty", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Reads {@code n} bytes from the PTY on another thread: a PTY read cannot time out itself. */
  private static byte[] readPty(RandomAccessFile file, int n) throws Exception {
    Future<byte[]> read =
        ptyReader.submit(
            () -> {
              byte[] buffer = new byte[n];
              int got = 0;
              while (got < n) {
                int r = file.read(buffer, got, n - got);
                if (r < 0) {
                  throw new AssertionError("PTY ended after " + got + " bytes");
                }
                got += r;
              }
              return buffer;
            });
    return read.get(30, TimeUnit.SECONDS);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // giving up on this one anyway
    }
  }
}
