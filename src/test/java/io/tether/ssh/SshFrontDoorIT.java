package io.tether.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.Ports;
import io.tether.testing.Recordings;
import io.tether.testing.Started;
import io.tether.testing.TerminalProgram;
import io.tether.testing.TotpApp;
import io.tether.web.SerialRig;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH front door end to end: the packaged portal with {@code TETHER_SSH_PORT}, a real agent
 * whose serial target is a socat PTY, and Debian's OpenSSH client in a terminal ({@code script})
 * signing in with a key the user registered over REST.
 */
class SshFrontDoorIT {
  private static final int SSH_PORT = Ports.free();
  private static final Duration SHORT = Duration.ofSeconds(15);

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start(
          "ssh",
          // web sign-ins come from an address of their own each (PortalApi sends
          // X-Forwarded-For), so only SSH connections count in 127.0.0.1's sign-in throttle
          Map.of(
              "TETHER_SSH_PORT",
              Integer.toString(SSH_PORT),
              "TETHER_TRUSTED_PROXIES",
              "127.0.0.1"));

  private final Started started = new Started();
  @TempDir Path dir;

  @AfterEach
  void closeStarted() {
    started.close();
  }

  /** A user with {@code role} on a new group (no grant when role is null), signed in. */
  private record User(String id, String name, PortalApi api) {}

  private static User user(String group, String role) {
    String name = PortalApi.unique("ssh");
    String password = "pw-" + PortalApi.unique("secret");
    JsonNode u =
        portal
            .admin()
            .post("/api/users", Map.of("username", name, "password", password, "admin", false));
    String id = u.get("id").asText();
    if (role != null) {
      portal.admin().post("/api/users/" + id + "/grants", Map.of("group", group, "role", role));
    }
    return new User(id, name, PortalApi.signIn(portal.baseUrl(), name, password));
  }

  private static String group() {
    return portal
        .admin()
        .post("/api/groups", Map.of("name", PortalApi.unique("sshg")))
        .get("name")
        .asText();
  }

  private SerialRig onlineDevice(String group) {
    SerialRig rig =
        new SerialRig(portal.process(), portal.admin(), "sshdev", group, false, started);
    rig.startAndAwaitOnline();
    return rig;
  }

  /** A key made for {@code user} and registered over REST; the private key's file. */
  private Path registeredKey(User user) throws IOException, InterruptedException {
    Path key = SshClientProcess.keygen(dir, PortalApi.unique("key"));
    JsonNode created =
        PortalApi.expect(
            201,
            user.api()
                .request(
                    "POST",
                    "/api/me/ssh-keys",
                    Map.of("name", "laptop", "publicKey", SshClientProcess.publicKey(key))),
            "POST /api/me/ssh-keys");
    assertTrue(created.get("fingerprint").asText().startsWith("SHA256:"), created::toString);
    return key;
  }

  private TerminalProgram ssh(Path key, String login) throws IOException {
    return started.add(SshClientProcess.connect(SSH_PORT, key, dir.resolve("known_hosts"), login));
  }

  @Test
  void anOperatorWorksInTheSerialConsoleOverSshAndIsClosedWhenDisabled() throws Exception {
    String group = group();
    User alice = user(group, "operator");
    SerialRig rig = onlineDevice(group);
    Path key = registeredKey(alice);
    TerminalProgram ssh = ssh(key, alice.name() + ":" + rig.name() + ":console");

    // the session is listed with its ssh participant (by then ssh has put its terminal in raw
    // mode: typed earlier, the terminal would still turn Enter's CR into LF)
    long sessionId = awaitLiveSshSession(rig);

    // typed bytes reach the device byte-exact; the device's output appears in the terminal
    ssh.type("show version\r");
    rig.tap.expect("show version\r".getBytes(StandardCharsets.US_ASCII), SHORT);
    rig.tap.write("router-os 1.2.3\r\n".getBytes(StandardCharsets.US_ASCII));
    ssh.awaitScreen("router-os 1.2.3", SHORT);

    // OpenSSH's ~B (after Enter) is a break request: the portal sends a serial BREAK as LINE
    ssh.type("\r");
    rig.tap.expect("\r".getBytes(StandardCharsets.US_ASCII), SHORT);
    ssh.type("~B");
    ssh.awaitScreen("[tether] BREAK sent", SHORT);
    assertEquals(0, rig.tap.unread().length, "~B reached the device as bytes, not as a BREAK");

    // the session is recorded
    Await.until(
        "the recording holds the device's output",
        SHORT,
        () ->
            PortalApi.send(
                    portal.baseUrl(),
                    "GET",
                    "/api/sessions/" + sessionId + "/recording?format=text",
                    null,
                    Map.of("Cookie", portal.admin().cookie(), "Accept", "*/*"))
                .body()
                .contains("router-os 1.2.3"));
    // the session's size is the SSH client's window: recorded, and again when it changes
    awaitCastShows(sessionId, TerminalProgram.COLS + "x" + TerminalProgram.ROWS);
    ssh.resize(100, 30);
    awaitCastShows(sessionId, "100x30");

    JsonNode logins = portal.admin().get("/api/audit?action=ssh.login&device=" + rig.id());
    assertEquals(1, logins.get("items").size(), () -> "ssh.login entries: " + logins);

    // the host key ssh learnt is the one the portal shows for verification
    String shown = portal.admin().get("/api/ssh").get("hostKeyFingerprint").asText();
    assertTrue(
        keygenFingerprints(dir.resolve("known_hosts")).contains(shown),
        () -> "/api/ssh shows " + shown + ", ssh learnt another key");

    // disabling the user closes the SSH session within a second, saying why
    long before = System.nanoTime();
    PortalApi.expect(
        200,
        portal.admin().request("PATCH", "/api/users/" + alice.id(), Map.of("disabled", true)),
        "disable");
    ssh.awaitScreen("access-revoked", Duration.ofSeconds(1));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    ssh.awaitExit(SHORT);
    assertTrue(millis <= 1000, "closed after " + millis + " ms");

    // and a disabled user cannot sign in again with the key
    TerminalProgram again = ssh(key, alice.name() + ":" + rig.name() + ":console");
    again.awaitScreen("Permission denied", SHORT);
    assertEquals(255, again.awaitExit(SHORT), "ssh's exit status for a refused sign-in");
  }

  @Test
  void deletingTheKeyClosesItsSession() throws Exception {
    String group = group();
    User erin = user(group, "operator");
    SerialRig rig = onlineDevice(group);
    Path key = registeredKey(erin);
    TerminalProgram ssh = ssh(key, erin.name() + ":" + rig.name());
    awaitLiveSshSession(rig);
    rig.tap.write("login: ".getBytes(StandardCharsets.US_ASCII));
    ssh.awaitScreen("login: ", SHORT);
    JsonNode keys =
        PortalApi.expect(200, erin.api().request("GET", "/api/me/ssh-keys", null), "GET");
    String id = keys.get("items").get(0).get("id").asText();
    PortalApi.expect(204, erin.api().request("DELETE", "/api/me/ssh-keys/" + id, null), "DELETE");
    ssh.awaitScreen("access-revoked", Duration.ofSeconds(1));
    ssh.awaitExit(SHORT);
  }

  @Test
  void aUserWithoutRightsAndAnUnknownDeviceGetTheSameLine() throws Exception {
    String group = group();
    User bob = user(group, null);
    SerialRig rig = onlineDevice(group);
    Path key = registeredKey(bob);

    TerminalProgram noRight = ssh(key, bob.name() + ":" + rig.name());
    noRight.awaitScreen(SshAdmission.NO_ACCESS, SHORT);
    assertNotEquals(0, noRight.awaitExit(SHORT), "refused ssh exits 0");

    TerminalProgram unknown = ssh(key, bob.name() + ":no-such-device-" + PortalApi.unique("x"));
    unknown.awaitScreen(SshAdmission.NO_ACCESS, SHORT);
    unknown.awaitExit(SHORT);
    assertEquals(0, rig.tap.unread().length, "a refused user reached the device");
  }

  @Test
  void aViewerWithNoLiveSessionIsRefusedInOneLine() throws Exception {
    String group = group();
    User viewer = user(group, "viewer");
    SerialRig rig = onlineDevice(group);
    TerminalProgram ssh = ssh(registeredKey(viewer), viewer.name() + ":" + rig.name());
    ssh.awaitScreen("no-live-session", SHORT);
    ssh.awaitExit(SHORT);
  }

  @Test
  void aViewerJoinsALiveSessionAsObserverAndCannotType() throws Exception {
    String group = group();
    User operator = user(group, "operator");
    User viewer = user(group, "viewer");
    SerialRig rig = onlineDevice(group);
    TerminalProgram controls = ssh(registeredKey(operator), operator.name() + ":" + rig.name());
    awaitLiveSshSession(rig);
    TerminalProgram watches = ssh(registeredKey(viewer), viewer.name() + ":" + rig.name());
    watches.awaitScreen("[tether] observing: " + operator.name() + " controls the session", SHORT);
    rig.tap.write("both see this\r\n".getBytes(StandardCharsets.US_ASCII));
    controls.awaitScreen("both see this", SHORT);
    watches.awaitScreen("both see this", SHORT);
    watches.type("x");
    watches.awaitScreen("you are observing", SHORT);
    controls.type("y");
    rig.tap.expect("y".getBytes(StandardCharsets.US_ASCII), SHORT);
    assertEquals(0, rig.tap.unread().length, "an observer's typing reached the device");
  }

  /** An SSH key carries no second factor: a group that requires one says so, in one line. */
  @Test
  void aGroupThatRequiresASecondFactorRefusesKeysAndSaysWhy() throws Exception {
    String group = group();
    requireSecondFactor(group);
    User operator = user(group, "operator");
    SerialRig rig =
        new SerialRig(portal.process(), portal.admin(), "ssh2fa", group, false, started);
    TerminalProgram ssh = ssh(registeredKey(operator), operator.name() + ":" + rig.name());
    ssh.awaitScreen("requires a second factor: SSH keys do not carry a second factor", SHORT);
    assertNotEquals(0, ssh.awaitExit(SHORT), "a refused ssh exits 0");
  }

  @Test
  void aPasswordAndASecondFactorSignInToAGroupThatRequiresOneAndEndWithTheSignIn()
      throws Exception {
    String group = group();
    requireSecondFactor(group);
    String name = PortalApi.unique("sshpw");
    String password = "pw-" + PortalApi.unique("secret");
    String id =
        portal
            .admin()
            .post("/api/users", Map.of("username", name, "password", password, "admin", false))
            .get("id")
            .asText();
    portal.admin().post("/api/users/" + id + "/grants", Map.of("group", group, "role", "operator"));
    PortalApi web = PortalApi.signIn(portal.baseUrl(), name, password);
    TotpApp app =
        new TotpApp(
            PortalApi.expect(200, web.request("POST", "/api/me/totp", Map.of()), "enrol")
                .get("secret")
                .asText());
    PortalApi.expect(
        200,
        web.request("POST", "/api/me/totp/confirm", Map.of("code", app.nextCode())),
        "confirm");
    SerialRig rig = onlineDevice(group);
    String login = name + ":" + rig.name();

    // a wrong password ends at the first prompt, counted and audited as a failed sign-in; the
    // second prompt (which would say the account has a factor) is never shown
    TerminalProgram wrong = interactive(login);
    wrong.awaitScreen(SshPasswordAuth.PASSWORD_PROMPT.strip(), SHORT);
    wrong.type("not-the-password\r");
    assertEquals(255, wrong.awaitExit(SHORT), "ssh with a wrong password");
    assertFalse(wrong.screen().contains("Verification code"), wrong::screen);

    // the right password, then a code: the session counts as two-factor, so it opens
    TerminalProgram ssh = interactive(login);
    ssh.awaitScreen(SshPasswordAuth.PASSWORD_PROMPT.strip(), SHORT);
    ssh.type(password + "\r");
    ssh.awaitScreen("Verification code", SHORT);
    ssh.type(app.nextCode() + "\r");
    awaitLiveSshSession(rig);
    ssh.type("show clock\r");
    rig.tap.expect("show clock\r".getBytes(StandardCharsets.US_ASCII), SHORT);
    JsonNode logins = portal.admin().get("/api/audit?action=auth.login&actor=" + name);
    assertTrue(
        logins.get("items").toString().contains("\"outcome\":\"failed\""),
        () -> "the wrong SSH password is no failed auth.login: " + logins);

    // the sign-in is a session of the user's: signing out everywhere ends the SSH session too
    assertEquals(
        204, web.request("POST", "/api/auth/logout-everywhere", Map.of()).statusCode(), "sign-out");
    ssh.awaitScreen("access-revoked", SHORT);
    ssh.awaitExit(SHORT);
  }

  @Test
  void directTcpipMovesTenMegabytesByteExactToATcpTargetUntilTheUserIsDisabled() throws Exception {
    String group = group();
    User bob = user(group, "operator");
    Path key = registeredKey(bob);
    EchoServer echo = started.add(EchoServer.start());
    JsonNode device =
        portal
            .admin()
            .post("/api/devices", Map.of("name", PortalApi.unique("sshfwd"), "group", group));
    AgentProcess agent =
        started.add(
            AgentProcess.create(
                device.get("name").asText(),
                portal.tunnelUrl(),
                device.get("token").asText(),
                List.of("bulk=tcp:127.0.0.1:" + echo.port(), "console=serial:/dev/null"),
                List.of()));
    agent.start().awaitOnline(Duration.ofSeconds(30));
    String login = bob.name() + ":" + device.get("name").asText();

    int local = Ports.free();
    TerminalProgram ssh = forwardListening(key, login, local, "bulk");
    byte[] sent = new byte[10 * 1024 * 1024];
    new java.util.Random(7).nextBytes(sent);
    try (Socket s = new Socket("127.0.0.1", local)) {
      // a thread of its own: the common pool has one thread on two cores, and a reader queued
      // behind another task would stall the echo, and with it the writer below
      CompletableFuture<byte[]> back = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  back.complete(s.getInputStream().readNBytes(sent.length));
                } catch (IOException e) {
                  back.completeExceptionally(e);
                }
              },
              "ssh-L-reader");
      reader.setDaemon(true);
      reader.start();
      s.getOutputStream().write(sent);
      s.getOutputStream().flush();
      byte[] echoed = back.get(60, TimeUnit.SECONDS);
      assertArrayEquals(sha256(sent), sha256(echoed), "10 MiB through ssh -L came back byte-exact");

      JsonNode forwards = portal.admin().get("/api/audit?action=ssh.forward&actor=" + bob.name());
      // one per channel: the wait for ssh's listener opened one too
      assertTrue(
          forwards.get("items").size() >= 1 && forwards.get("items").toString().contains(":bulk"),
          () -> "ssh.forward entries: " + forwards);

      // disabling the user closes the forwarded connection
      PortalApi.expect(
          200,
          portal.admin().request("PATCH", "/api/users/" + bob.id(), Map.of("disabled", true)),
          "disable");
      s.setSoTimeout((int) SHORT.toMillis());
      assertEquals(-1, s.getInputStream().read(), "the forwarded connection closed on revocation");
    }
    ssh.close();
  }

  /**
   * {@code ssh -L} to a serial target joins its session as a byte stream participant {@code via
   * ssh}, as tether-cli's forward does: bytes both ways reach the PTY, and a second forwarded
   * connection while the first controls is refused busy, saying who controls.
   */
  @Test
  void directTcpipToASerialTargetJoinsItsSessionAndASecondIsRefusedBusy() throws Exception {
    String group = group();
    User carol = user(group, "operator");
    SerialRig rig = onlineDevice(group);
    Path key = registeredKey(carol);
    int local = Ports.free();
    TerminalProgram ssh =
        started.add(
            SshClientProcess.forward(
                SSH_PORT,
                key,
                dir.resolve("known_hosts"),
                carol.name() + ":" + rig.name(),
                local,
                "console"));
    // waited for without connecting: a probe connection would join the session and could still
    // control it when the real one comes
    Await.until("ssh -L listening on " + local, SHORT, () -> !bindable(local));
    try (Socket s = new Socket("127.0.0.1", local)) {
      s.setSoTimeout((int) SHORT.toMillis());
      long session = awaitLiveSshSession(rig);
      s.getOutputStream().write("AT\r".getBytes(StandardCharsets.US_ASCII));
      rig.tap.expect("AT\r".getBytes(StandardCharsets.US_ASCII), SHORT);
      rig.tap.write("OK\r\n".getBytes(StandardCharsets.US_ASCII));
      assertArrayEquals(
          "OK\r\n".getBytes(StandardCharsets.US_ASCII),
          s.getInputStream().readNBytes(4),
          "the device's answer through ssh -L");

      try (Socket second = new Socket("127.0.0.1", local)) {
        second.setSoTimeout((int) SHORT.toMillis());
        assertEquals(-1, second.getInputStream().read(), "a second connection is refused busy");
      }
      Await.until(
          "the busy refusal audited",
          SHORT,
          () ->
              portal
                  .admin()
                  .get("/api/audit?action=session.refused&device=" + rig.id())
                  .toString()
                  .contains("controlled by " + carol.name()));
      assertTrue(session > 0);
    }
    ssh.close();
  }

  /** {@code ssh -L port:<target>}, once it listens on {@code port}. */
  private TerminalProgram forwardListening(Path key, String login, int port, String target)
      throws java.io.IOException {
    TerminalProgram ssh =
        started.add(
            SshClientProcess.forward(
                SSH_PORT, key, dir.resolve("known_hosts"), login, port, target));
    awaitListening(ssh, port);
    return ssh;
  }

  private static void awaitListening(TerminalProgram ssh, int port) {
    try {
      Await.until("ssh -L listening on " + port, SHORT, () -> accepts(port));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; ssh shows: " + ssh.screen(), e);
    }
  }

  /** Whether nothing listens on the loopback port (it can be bound). */
  private static boolean bindable(int port) {
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return probe.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return s.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256").digest(data);
  }

  private TerminalProgram interactive(String login) throws IOException {
    return started.add(
        SshClientProcess.connectInteractive(SSH_PORT, dir.resolve("known_hosts"), login));
  }

  private static void requireSecondFactor(String group) {
    JsonNode created =
        StreamSupport.stream(portal.admin().get("/api/groups").get("items").spliterator(), false)
            .filter(g -> g.get("name").asText().equals(group))
            .findFirst()
            .orElseThrow();
    PortalApi.expect(
        200,
        portal
            .admin()
            .request(
                "PATCH",
                "/api/groups/" + created.get("id").asText(),
                Map.of("requireSecondFactor", true)),
        "PATCH requireSecondFactor");
  }

  @Test
  void anOfflineDeviceIsRefusedInOneLine() throws Exception {
    String group = group();
    User operator = user(group, "operator");
    SerialRig rig =
        new SerialRig(portal.process(), portal.admin(), "sshoff", group, false, started);
    TerminalProgram ssh = ssh(registeredKey(operator), operator.name() + ":" + rig.name());
    ssh.awaitScreen("device-offline", SHORT);
    assertNotEquals(0, ssh.awaitExit(SHORT), "ssh to an offline device exits 0");
  }

  @Test
  void aKeyOfAnotherUserIsRefusedAndAudited() throws Exception {
    String group = group();
    User carol = user(group, "operator");
    User dave = user(group, "operator");
    SerialRig rig = onlineDevice(group);
    Path davesKey = registeredKey(dave);
    TerminalProgram ssh = ssh(davesKey, carol.name() + ":" + rig.name());
    ssh.awaitScreen("Permission denied", SHORT);
    assertEquals(255, ssh.awaitExit(SHORT), "ssh's exit status for a failed sign-in");
    JsonNode refused = portal.admin().get("/api/audit?action=ssh.refused");
    assertTrue(
        refused.get("items").toString().contains(carol.name()),
        () -> "no ssh.refused entry for " + carol.name() + ": " + refused);
  }

  /** Waits until the session's recording has a resize to {@code size} (COLSxROWS). */
  private static void awaitCastShows(long sessionId, String size) {
    Recordings.awaitResize(portal.baseUrl(), portal.admin(), sessionId, size, SHORT);
  }

  /** Waits for the device's live session to have an ssh participant; answers its id. */
  private static long awaitLiveSshSession(SerialRig rig) {
    JsonNode[] session = new JsonNode[1];
    Await.until(
        "a live session with an ssh participant",
        SHORT,
        () -> {
          JsonNode items =
              portal.admin().get("/api/sessions?live=true&device=" + rig.id()).get("items");
          session[0] = items.size() == 1 ? items.get(0) : null;
          return session[0] != null
              && session[0].get("participants").toString().contains("\"via\":\"ssh\"");
        });
    return session[0].get("id").asLong();
  }

  @Test
  void failedSignInsLockTheUserOutLikeTheWebSignIn() throws Exception {
    String group = group();
    User frank = user(group, "operator");
    SerialRig rig = onlineDevice(group);
    Path key = registeredKey(frank);
    java.util.List<Path> wrong = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      wrong.add(SshClientProcess.keygen(dir, PortalApi.unique("wrong")));
    }
    // two connections offering 5 unregistered keys each: 10 failures, the web's lockout count
    for (int attempt = 0; attempt < 2; attempt++) {
      TerminalProgram guess =
          started.add(
              SshClientProcess.connect(
                  SSH_PORT, wrong, dir.resolve("known_hosts"), frank.name() + ":" + rig.name()));
      assertEquals(255, guess.awaitExit(SHORT), "ssh with unregistered keys");
    }
    TerminalProgram locked = ssh(key, frank.name() + ":" + rig.name());
    locked.awaitScreen("Permission denied", SHORT);
    assertEquals(255, locked.awaitExit(SHORT), "the right key while locked out");
    JsonNode refused = portal.admin().get("/api/audit?action=ssh.refused");
    assertTrue(
        refused.get("items").toString().contains("too many failed sign-ins"),
        () -> "no ssh.refused entry for the lockout: " + refused);
    assertEquals(0, rig.tap.unread().length, "a locked-out user reached the device");
  }

  private static String keygenFingerprints(Path knownHosts) throws Exception {
    Process p =
        new ProcessBuilder("ssh-keygen", "-l", "-f", knownHosts.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out + Files.readString(knownHosts);
  }
}
