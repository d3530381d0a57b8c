package io.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.session.TerminalClient;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.Build;
import io.tether.testing.CliProcess;
import io.tether.testing.EchoServer;
import io.tether.testing.JavaProcess;
import io.tether.testing.PlaywrightScript;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalFixture;
import io.tether.testing.Ports;
import io.tether.testing.RecordingBrowser;
import io.tether.testing.Recordings;
import io.tether.testing.Started;
import io.tether.testing.TerminalProgram;
import io.tether.testing.TotpApp;
import io.tether.web.SerialRig;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code tether} command line as a user runs it, against the packaged portal: login stores a
 * token readable by the user only, the listings and forward use it, logout revokes it.
 */
class CliCommandsIT {
  private static final Duration RUN = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final PortalFixture portal = PortalFixture.start("cli-commands");

  private static JavaProcess.Result tether(Path config, String... args) {
    JavaProcess.Result r =
        JavaProcess.run(
            Build.artifact("tether-cli.jar"),
            CliProcess.MAX_HEAP,
            List.of(args),
            Map.of("XDG_CONFIG_HOME", config.toString()),
            RUN);
    System.out.println(
        "[cli] tether " + String.join(" ", args) + " -> " + r.exitCode() + "\n" + r.output());
    return r;
  }

  /** tether login with a password file, and {@code more} arguments (a --code-file). */
  private static JavaProcess.Result login(
      Path config, String username, Path password, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "login",
                "--portal",
                portal.baseUrl(),
                "--user",
                username,
                "--password-file",
                password.toString()));
    args.addAll(List.of(more));
    return tether(config, args.toArray(String[]::new));
  }

  private static int status(String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/me"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void loginStoresATokenTheListingsAndForwardUseAndLogoutRevokes() throws Exception {
    PortalClient admin = portal.client();
    String group = admin.createGroup();
    PortalClient.NewDevice device = admin.createDevice(group);
    PortalClient.NewDevice hidden = admin.createDevice(); // in a group the user has no grant on
    PortalClient.NewUser user = admin.createUser();
    admin.grant(user.id(), group, "operator");
    Path config = Build.workDir("cli-config");
    Path password = config.resolve("password");
    Files.writeString(password, user.password() + "\n");

    JavaProcess.Result login = login(config, user.username(), password);
    assertEquals(0, login.exitCode(), login.output());
    Path stored = config.resolve("tether/credentials");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)));
    Properties creds = new Properties();
    creds.load(Files.newBufferedReader(stored));
    String token = creds.getProperty("token");
    assertEquals(200, status(token), "the stored token signs in");
    assertFalse(login.output().contains(token), "the token is never printed");

    JavaProcess.Result json = tether(config, "devices", "--json");
    assertEquals(0, json.exitCode(), json.output());
    JsonNode devices = JSON.readTree(json.output());
    List<String> names = new ArrayList<>();
    devices.forEach(d -> names.add(d.get("name").asText()));
    assertEquals(List.of(device.name()), names, "only the devices the user may see");

    JavaProcess.Result table = tether(config, "devices");
    List<String> lines = table.output().strip().lines().toList();
    assertTrue(
        lines.get(0).startsWith("NAME")
            && lines.get(1).startsWith(device.name() + " ")
            && lines.get(1).contains("offline"),
        table.output());
    assertFalse(table.output().contains(hidden.name()));

    JavaProcess.Result sessions = tether(config, "sessions", "--live", "--json");
    assertEquals(0, sessions.exitCode(), sessions.output());
    assertTrue(JSON.readTree(sessions.output()).isArray(), sessions.output());

    JavaProcess.Result forward =
        tether(config, "forward", device.name(), "console", "--listen", "127.0.0.1:0");
    assertEquals(1, forward.exitCode(), forward.output());
    assertTrue(
        forward.output().contains("offline"),
        "forward signed in with the stored token and met the offline device: " + forward.output());

    JavaProcess.Result logout = tether(config, "logout");
    assertEquals(0, logout.exitCode(), logout.output());
    assertFalse(Files.exists(stored), "logout forgets the token");
    assertEquals(401, status(token), "and revoked it on the portal");

    JavaProcess.Result after = tether(config, "devices");
    assertEquals(3, after.exitCode(), after.output());
    assertEquals(1, after.output().strip().lines().count(), after.output());
    assertTrue(after.output().contains("not signed in: run tether login"), after.output());
  }

  @Test
  void aWrongPasswordIsOneLineAndNothingIsStored() throws Exception {
    PortalClient.NewUser user = portal.client().createUser();
    Path config = Build.workDir("cli-config-wrong");
    Path password = config.resolve("password");
    Files.writeString(password, "not-" + user.password());
    JavaProcess.Result login = login(config, user.username(), password);
    assertEquals(1, login.exitCode(), login.output());
    assertEquals("tether: wrong username or password", login.output().strip());
    assertFalse(Files.exists(config.resolve("tether/credentials")));
  }

  /** An authenticator app the user enrolled, and one of its recovery codes. */
  private record Enrolled(TotpApp app, String recoveryCode) {}

  private static Enrolled enrolTotp(PortalClient.NewUser user) {
    PortalApi api = PortalApi.signIn(portal.baseUrl(), user.username(), user.password());
    TotpApp app =
        new TotpApp(
            PortalApi.expect(200, api.request("POST", "/api/me/totp", null), "enrol")
                .get("secret")
                .asText());
    JsonNode confirmed =
        PortalApi.expect(
            200,
            api.request("POST", "/api/me/totp/confirm", Map.of("code", app.nextCode())),
            "confirm");
    return new Enrolled(app, confirmed.get("recoveryCodes").get(0).asText());
  }

  /**
   * A user with a TOTP factor: login asks for the code after the password (here --code-file); a
   * wrong code is one line, exit 1, nothing stored; the right one stores a token that counts the
   * second factor.
   */
  @Test
  void aSecondFactorIsAskedForAfterThePasswordAndItsTokenCountsIt() throws Exception {
    PortalClient.NewUser user = portal.client().createUser();
    TotpApp app = enrolTotp(user).app();
    Path config = Build.workDir("cli-config-totp");
    Path password = config.resolve("password");
    Files.writeString(password, user.password());
    Path code = config.resolve("code");
    Files.writeString(code, app.wrongCode() + "\n");
    JavaProcess.Result wrong =
        login(config, user.username(), password, "--code-file", code.toString());
    assertEquals(1, wrong.exitCode(), wrong.output());
    assertEquals("tether: wrong totp code", wrong.output().strip());
    assertFalse(Files.exists(config.resolve("tether/credentials")), "nothing stored");

    Files.writeString(code, app.nextCode() + "\n");
    JavaProcess.Result right =
        login(config, user.username(), password, "--code-file", code.toString());
    assertEquals(0, right.exitCode(), right.output());
    assertTrue(right.output().contains("(second factor)"), right.output());
    JsonNode me = JSON.readTree(meBody(storedToken(config)));
    assertTrue(me.get("mfa").asBoolean(), "the token counts the second factor: " + me);
  }

  /**
   * A group that asks for the second factor again before each session asks a token too: tether
   * connect asks for the code before it opens (a wrong one is the portal's words, exit 1), tether
   * forward when the portal's check asks; the right code makes the token fresh, and the check then
   * answers what it would have (the device is offline).
   */
  @Test
  void aGroupAskingAgainTakesTheCodeInConnectAndForward() throws Exception {
    PortalClient.NewUser user = portal.client().createUser();
    Enrolled enrolled = enrolTotp(user);
    TotpApp app = enrolled.app();
    String recovery = enrolled.recoveryCode();
    String group = portal.client().createGroup();
    String groupId =
        StreamSupport.stream(
                portal.client().expect(200, "GET", "/api/groups", null).get("items").spliterator(),
                false)
            .filter(g -> g.get("name").asText().equals(group))
            .findFirst()
            .orElseThrow()
            .get("id")
            .asText();
    portal
        .client()
        .expect(
            200,
            "PATCH",
            "/api/groups/" + groupId,
            Map.of("requireSecondFactor", true, "reauthMinutes", 5));
    portal.client().grant(user.id(), group, "operator");
    PortalClient.NewDevice device = portal.client().createDevice(group);
    Path config = Build.workDir("cli-config-fresh");
    Path password = config.resolve("password");
    Files.writeString(password, user.password());
    Path code = config.resolve("code");
    Files.writeString(code, recovery + "\n"); // the sign-in takes a recovery code: no TOTP step
    JavaProcess.Result login =
        login(config, user.username(), password, "--code-file", code.toString());
    assertEquals(0, login.exitCode(), login.output());
    // a token counts a code on such a group only once one was presented for it

    Files.writeString(code, app.wrongCode() + "\n");
    JavaProcess.Result wrong =
        tether(config, "connect", device.name(), "console", "--code-file", code.toString());
    assertEquals(1, wrong.exitCode(), wrong.output());
    assertTrue(wrong.output().contains("the code is wrong"), wrong.output());

    Files.writeString(code, app.nextCode() + "\n");
    JavaProcess.Result right =
        tether(
            config,
            "forward",
            device.name(),
            "console",
            "--listen",
            "127.0.0.1:" + Ports.free(),
            "--code-file",
            code.toString());
    assertEquals(1, right.exitCode(), right.output());
    assertTrue(right.output().contains("offline"), "past the policy: " + right.output());
    assertFalse(right.output().contains("second factor"), right.output());
    JsonNode fresh =
        portal
            .client()
            .expect(
                200,
                "GET",
                "/api/audit?action=auth.second-factor-fresh&actor=" + user.username(),
                null)
            .get("items");
    assertEquals(1, fresh.size(), "the code presented for the token: " + fresh);
  }

  /**
   * tether login --browser: the browser (BROWSER, here a script that writes the address down) is
   * signed in on the portal's page as the user, Allow hands the code to the CLI's loopback
   * listener, and the CLI stores a token that works. tether login --no-browser prints an address
   * without a port, whose page shows the code; pasted on the CLI's stdin it signs in too. A code is
   * spent by its first exchange.
   */
  @Test
  void browserSignInAllowedOnThePortalsPageStoresAWorkingTokenAndACodeWorksOnce() throws Exception {
    PortalClient admin = portal.client();
    String group = admin.createGroup();
    PortalClient.NewDevice device = admin.createDevice(group);
    PortalClient.NewUser user = admin.createUser();
    admin.grant(user.id(), group, "operator");
    Path config = Build.workDir("cli-config-browser");
    RecordingBrowser browser = RecordingBrowser.in(config);
    Path pasteConfig = Build.workDir("cli-config-paste");
    Path stdin = pasteConfig.resolve("stdin");
    assertEquals(0, new ProcessBuilder("mkfifo", stdin.toString()).start().waitFor());
    // the CLI opens the FIFO to read as it starts; the writing end is opened meanwhile
    CompletableFuture<OutputStream> typing =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.newOutputStream(stdin);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    try (JavaProcess login =
            JavaProcess.start(
                Build.artifact("tether-cli.jar"),
                CliProcess.MAX_HEAP,
                List.of("login", "--portal", portal.baseUrl(), "--browser"),
                Map.of("XDG_CONFIG_HOME", config.toString(), "BROWSER", browser.command()),
                config.resolve("login.log"));
        JavaProcess paste =
            JavaProcess.start(
                Build.artifact("tether-cli.jar"),
                CliProcess.MAX_HEAP,
                List.of(),
                List.of("login", "--portal", portal.baseUrl(), "--no-browser"),
                Map.of("XDG_CONFIG_HOME", pasteConfig.toString()),
                pasteConfig.resolve("login.log"),
                stdin);
        OutputStream keyboard = typing.get(RUN.toSeconds(), TimeUnit.SECONDS)) {
      String cliUrl = browser.awaitOpened(RUN);
      assertTrue(
          cliUrl.startsWith(portal.baseUrl() + "/cli-login?") && cliUrl.contains("&port="), cliUrl);
      String[] printed = new String[1];
      Await.until(
          "tether login --no-browser to print the address",
          RUN,
          () -> {
            printed[0] =
                paste
                    .output()
                    .lines()
                    .map(String::strip)
                    .filter(l -> l.startsWith(portal.baseUrl() + "/cli-login?"))
                    .findFirst()
                    .orElse(null);
            return printed[0] != null;
          });
      String pasteUrl = printed[0];
      assertFalse(pasteUrl.contains("port="), "no listener without a browser: " + pasteUrl);
      Path log = Build.workDir("cli-login-browser").resolve("browser.log");
      String browserLog =
          PlaywrightScript.run(
              List.of("e2e/clilogin.mjs", "allow"),
              Map.of(
                  "TETHER_URL", portal.baseUrl(),
                  "CLI_URL", cliUrl,
                  "PASTE_URL", pasteUrl,
                  "USERNAME", user.username(),
                  "PASSWORD", user.password()),
              List.of(),
              log,
              Duration.ofSeconds(150));
      assertTrue(login.waitFor(RUN), "tether login ended after Allow: " + login.output());
      assertEquals(0, login.exitCode(), login.output());

      String token = storedToken(config);
      assertEquals(200, status(token), "the stored token signs in");
      assertFalse(login.output().contains(token), "the token is never printed");
      JavaProcess.Result names = tether(config, "devices", "--names");
      assertEquals(List.of(device.name()), names.output().strip().lines().toList());

      String callbackCode =
          lineAfter(browserLog, "callback: ").replaceAll(".*[?&]code=([^&]+).*", "$1");
      JsonNode again =
          exchange(
              URLDecoder.decode(callbackCode, StandardCharsets.UTF_8),
              BrowserSignIn.random(32),
              400);
      assertEquals("code", again.get("field").asText(), again.toString());
      assertTrue(again.get("detail").asText().contains("already used"), again.toString());

      String pasted = lineAfter(browserLog, "code: ");
      keyboard.write((pasted + "\n").getBytes(StandardCharsets.US_ASCII));
      keyboard.flush(); // a line is what the CLI reads
      assertTrue(paste.waitFor(RUN), "tether login --no-browser took the code: " + paste.output());
      assertEquals(0, paste.exitCode(), paste.output());
      assertEquals(200, status(storedToken(pasteConfig)), "the pasted code's token signs in");
      assertTrue(
          exchange(pasted, BrowserSignIn.random(32), 400)
              .get("detail")
              .asText()
              .contains("already used"),
          "a pasted code works once too");

      JavaProcess.Result logout = tether(config, "logout");
      assertEquals(0, logout.exitCode(), logout.output());
      assertEquals(401, status(token), "logout revokes the browser sign-in's token");
    }
  }

  private static JsonNode exchange(String code, String verifier, int expected) {
    return PortalApi.expect(
        expected,
        PortalApi.send(
            portal.baseUrl(),
            "POST",
            "/api/auth/cli/exchange",
            Map.of("code", code, "verifier", verifier),
            Map.of("X-Forwarded-For", PortalApi.randomAddress())),
        "exchange");
  }

  private static String lineAfter(String log, String prefix) {
    return log.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in:\n" + log));
  }

  private static String storedToken(Path config) throws java.io.IOException {
    Path stored = config.resolve("tether/credentials");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)));
    Properties creds = new Properties();
    creds.load(Files.newBufferedReader(stored));
    return creds.getProperty("token");
  }

  private static String meBody(String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/me"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void replayPlaysARecordedSessionInTheTerminal() throws Exception {
    PortalClient admin = portal.client();
    PortalClient.NewDevice device = admin.createDevice();
    try (EchoServer echo = EchoServer.start();
        AgentProcess agent =
            AgentProcess.start(
                "cli-replay",
                portal.tunnelUrl(),
                device.token(),
                List.of("echo=tcp:127.0.0.1:" + echo.port()),
                List.of())) {
      agent.awaitOnline(Duration.ofSeconds(30));
      try (TerminalClient t =
          TerminalClient.terminal(portal.baseUrl(), portal.admin(), device.id(), "echo")) {
        t.awaitLive();
        t.type("replayed words\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        t.awaitReceived(
            "replayed words\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            Duration.ofSeconds(10));
      }
    }
    JsonNode[] session = new JsonNode[1];
    Await.until(
        "the session recorded and ended",
        Duration.ofSeconds(15),
        () -> {
          JsonNode items = portal.admin().get("/api/sessions?device=" + device.id()).get("items");
          session[0] = items.size() == 1 ? items.get(0) : null;
          return session[0] != null && session[0].get("state").asText().equals("ended");
        });
    Path config = Build.workDir("cli-config-replay");
    Path password = config.resolve("password");
    Files.writeString(password, io.tether.testing.PortalProcess.ADMIN_PASSWORD);
    assertEquals(0, login(config, "admin", password).exitCode());
    JavaProcess.Result replay =
        tether(config, "replay", session[0].get("id").asText(), "--speed", "1000");
    assertEquals(0, replay.exitCode(), replay.output());
    assertTrue(replay.output().contains("replayed words"), replay.output());
    JavaProcess.Result missing = tether(config, "replay", "999999999");
    assertEquals(1, missing.exitCode(), missing.output());
    assertEquals(1, missing.output().strip().lines().count(), missing.output());
  }

  /**
   * {@code tether connect} in a real terminal: it goes raw, keys reach the serial line and its
   * output the screen; a second user joins as observer and is told so in one line; {@code ~.} after
   * Enter leaves with exit 0.
   */
  @Test
  void connectTypesAndReadsInATerminalAnObserverIsToldAndTildeDotLeaves() throws Exception {
    try (Started started = new Started()) {
      SerialRig rig =
          new SerialRig(portal.process(), portal.admin(), "connect", null, false, started);
      rig.startAndAwaitOnline();
      Path adminConfig = Build.workDir("cli-config-connect");
      Path password = adminConfig.resolve("password");
      Files.writeString(password, io.tether.testing.PortalProcess.ADMIN_PASSWORD);
      assertEquals(0, login(adminConfig, "admin", password).exitCode());
      PortalClient.NewUser bob = portal.client().createUser();
      portal.client().grant(bob.id(), "default", "operator");
      Path bobConfig = Build.workDir("cli-config-connect-bob");
      Path bobPassword = bobConfig.resolve("password");
      Files.writeString(bobPassword, bob.password());
      assertEquals(0, login(bobConfig, bob.username(), bobPassword).exitCode());

      TerminalProgram controller = started.add(connect(adminConfig, rig.name()));
      controller.awaitScreen("you control it", Duration.ofSeconds(30));
      controller.type("show clock\r");
      rig.tap.expect("show clock\r".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
      rig.tap.write("12:00:00 UTC\r\n".getBytes(StandardCharsets.US_ASCII));
      controller.awaitScreen("12:00:00 UTC", Duration.ofSeconds(10));
      // the session's size is the controller's terminal's, and follows its window (SIGWINCH)
      long session =
          portal
              .admin()
              .get("/api/sessions?live=true&device=" + rig.id())
              .get("items")
              .get(0)
              .get("id")
              .asLong();
      String initial = TerminalProgram.COLS + "x" + TerminalProgram.ROWS;
      Recordings.awaitResize(
          portal.baseUrl(), portal.admin(), session, initial, Duration.ofSeconds(15));
      controller.resize(100, 30);
      Recordings.awaitResize(
          portal.baseUrl(), portal.admin(), session, "100x30", Duration.ofSeconds(15));

      TerminalProgram observer = started.add(connect(bobConfig, rig.name()));
      observer.awaitScreen("admin controls it; ~T takes control", Duration.ofSeconds(30));
      observer.type("reboot\r");
      observer.awaitScreen("take over to type", Duration.ofSeconds(10));
      rig.tap.write("observed line\r\n".getBytes(StandardCharsets.US_ASCII));
      observer.awaitScreen("observed line", Duration.ofSeconds(10));

      observer.type("\r~.");
      assertEquals(0, observer.awaitExit(Duration.ofSeconds(10)), observer.screen());
      // the controller's token revoked on the portal: its terminal ends at once, as a browser's
      Properties creds = new Properties();
      creds.load(Files.newBufferedReader(adminConfig.resolve("tether/credentials")));
      portal.client().expect(204, "DELETE", "/api/tokens/" + creds.getProperty("tokenId"), null);
      assertEquals(1, controller.awaitExit(Duration.ofSeconds(10)), controller.screen());
      assertTrue(controller.screen().contains("the session ended"), controller.screen());
      JavaProcess.Result refused =
          tether(
              adminConfig,
              "connect",
              rig.name(),
              "--portal",
              portal.baseUrl(),
              "--token",
              "tat_bogus");
      assertEquals(
          3, refused.exitCode(), "a refused token is 'sign in again': " + refused.output());
      byte[] unread = rig.tap.unread();
      assertTrue(
          !new String(unread, StandardCharsets.US_ASCII).contains("reboot"),
          "the observer's keys never reached the device");
    }
  }

  private static TerminalProgram connect(Path config, String device) throws java.io.IOException {
    return TerminalProgram.start(
        List.of(
            "java",
            "-Xmx" + CliProcess.MAX_HEAP,
            "-jar",
            Build.artifact("tether-cli.jar").toString(),
            "connect",
            device),
        Map.of("XDG_CONFIG_HOME", config.toString()));
  }
}
