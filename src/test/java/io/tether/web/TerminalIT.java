package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalProcess;
import io.tether.testing.SocatPty;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web terminal end to end: the packaged portal, a real agent process (-Xmx64m) whose serial
 * target is a socat PTY, and headless Chromium running frontend/e2e/terminal.mjs. The browser side
 * checks what the user sees (the DOM renderer's rows, the status line); this side starts and kills
 * the agent, reads and writes the serial line byte-exact, disables users, and checks the Origin
 * rule of the WebSocket upgrade with java.net.http.
 */
class TerminalIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(150);
  private static final long BURST_BYTES = 20L << 20;
  private static final String BURST_END = "BURST-DONE\r\n";

  private static PortalProcess portal;
  private static PortalApi admin;

  /** What one test started; closed after it in reverse order. */
  private final List<AutoCloseable> started = new ArrayList<>();

  @BeforeAll
  static void startPortal() {
    // 127.0.0.1 trusted as a proxy: each browser context signs in from its own X-Forwarded-For
    portal = PortalProcess.create("terminal", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));
    portal.start();
    admin = PortalApi.signIn(portal.baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stopPortal() {
    if (portal != null) {
      portal.close();
    }
  }

  @AfterEach
  void closeStarted() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // best effort: the next one must still be closed
      }
    }
    started.clear();
  }

  /** One device with a serial target "console" on a socat PTY, its agent made but not started. */
  private final class Rig {
    final JsonNode device;
    final SocatPty pty;
    final PtyTap tap;
    final AgentProcess agent;

    Rig(String group) {
      this(group, false);
    }

    /** With {@code echo}, a second target "echo" (TCP, an echo server) beside the serial one. */
    Rig(String group, boolean echo) {
      Map<String, Object> body = new HashMap<>();
      body.put("name", PortalApi.unique("term"));
      if (group != null) {
        body.put("group", group);
      }
      device = admin.post("/api/devices", body);
      pty = openPty();
      started.add(pty);
      tap = PtyTap.open(pty);
      started.add(tap);
      List<String> targets = new ArrayList<>();
      targets.add("console=serial:" + pty.devicePath() + "?baud=115200");
      if (echo) {
        EchoServer server = EchoServer.start();
        started.add(server);
        targets.add("echo=tcp:127.0.0.1:" + server.port());
      }
      agent =
          AgentProcess.create(
              device.get("name").asText(),
              "ws://127.0.0.1:" + portal.httpPort() + "/tunnel",
              device.get("token").asText(),
              targets,
              List.of());
      started.add(agent);
    }

    long id() {
      return device.get("id").asLong();
    }

    String name() {
      return device.get("name").asText();
    }

    void startAndAwaitOnline() {
      agent.start();
      Await.until(
          name() + " online",
          Duration.ofSeconds(30),
          () -> admin.get("/api/devices/" + id()).get("online").asBoolean());
    }

    /** The handlers every scenario may use: the agent and the serial line. */
    Map<String, BrowserDialogue.Handler> handlers() {
      Map<String, BrowserDialogue.Handler> h = new HashMap<>();
      h.put(
          "startAgent",
          r -> {
            agent.start();
            return null;
          });
      h.put(
          "killAgent",
          r -> {
            agent.kill9();
            return null;
          });
      h.put(
          "ptyWrite",
          r -> {
            tap.write(bytes(r));
            return null;
          });
      h.put(
          "ptyWriteSplit",
          r -> {
            tap.writeSplit(
                bytes(r), r.get("at").asInt(), Duration.ofMillis(r.get("pauseMs").asInt()));
            return null;
          });
      h.put(
          "ptyExpect",
          r -> {
            tap.expect(bytes(r), Duration.ofMillis(r.path("timeoutMs").asLong(10_000)));
            return null;
          });
      return h;
    }
  }

  /**
   * SocatPty.open, tried up to three times: now and then it times out waiting to read socat's PTY
   * names although socat has opened both (seen on a busy 2-core machine), and then leaves that
   * socat running. The harness is not ours to change: the socat child a failed attempt left is
   * ended here.
   */
  private static SocatPty openPty() {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      Set<Long> before = socatChildren();
      try {
        return SocatPty.open();
      } catch (IllegalStateException e) {
        System.out.println("[terminal] socat PTY attempt " + attempt + " failed: " + e.getCause());
        last = e;
        ProcessHandle.current()
            .children()
            .filter(p -> isSocat(p) && !before.contains(p.pid()))
            .forEach(ProcessHandle::destroy);
      }
    }
    throw last;
  }

  private static Set<Long> socatChildren() {
    return ProcessHandle.current()
        .children()
        .filter(TerminalIT::isSocat)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static boolean isSocat(ProcessHandle p) {
    return p.info().command().map(c -> c.endsWith("/socat") || c.equals("socat")).orElse(false);
  }

  private static byte[] bytes(JsonNode request) {
    return Base64.getDecoder().decode(request.get("base64").asText());
  }

  private static Map<String, String> env(Rig rig, String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put("TETHER_URL", portal.baseUrl());
    env.put("ADMIN_PASSWORD", PortalProcess.ADMIN_PASSWORD);
    env.put("DEVICE_ID", Long.toString(rig.id()));
    env.put("DEVICE_NAME", rig.name());
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }

  /** A user with an operator grant on {@code group}: {id, username, password}. */
  private static String[] operator(String group) {
    String username = PortalApi.unique("op");
    String password = "pw-" + PortalApi.unique("secret");
    JsonNode user =
        admin.post(
            "/api/users", Map.of("username", username, "password", password, "admin", false));
    String id = user.get("id").asText();
    admin.post("/api/users/" + id + "/grants", Map.of("group", group, "role", "operator"));
    return new String[] {id, username, password};
  }

  private static String group() {
    return admin
        .post("/api/groups", Map.of("name", PortalApi.unique("bench")))
        .get("name")
        .asText();
  }

  @Test
  void aUserSeesTheDeviceComeOnlineAndWorksInItsSerialConsole() {
    String group = group();
    String[] user = operator(group);
    String[] other = operator(group);
    Rig rig = new Rig(group, true);
    Map<String, BrowserDialogue.Handler> handlers = rig.handlers();
    handlers.put("originCheck", r -> originCheck(rig, r.get("cookie").asText(), user[1]));

    BrowserDialogue.run(
        "terminal.mjs",
        "terminal",
        env(
            rig,
            "USERNAME",
            user[1],
            "PASSWORD",
            user[2],
            "OTHER_USERNAME",
            other[1],
            "OTHER_PASSWORD",
            other[2]),
        handlers,
        SCENARIO_TIMEOUT);

    assertEquals(
        0,
        rig.tap.unread().length,
        () ->
            "the device received bytes nobody typed: "
                + new String(rig.tap.unread(), java.nio.charset.StandardCharsets.UTF_8));
    for (String png : List.of("fleet-online.png", "terminal.png", "terminal-busy.png")) {
      assertTrue(
          Files.isRegularFile(BrowserScenario.screenshots().resolve(png)), png + " was not saved");
    }
    JsonNode opens = admin.get("/api/audit?action=terminal.open&device=" + rig.id());
    assertTrue(opens.get("items").size() >= 2, () -> "terminal.open audit entries: " + opens);
  }

  @Test
  void aTwentyMegabyteBurstLeavesThePageResponsive() {
    Rig rig = new Rig(null);
    rig.startAndAwaitOnline();
    Map<String, BrowserDialogue.Handler> handlers = rig.handlers();
    PtyTap.Burst[] burst = new PtyTap.Burst[1];
    handlers.put(
        "burstStart",
        r -> {
          burst[0] = rig.tap.burst(BURST_BYTES, BURST_END);
          return Map.of("total", burst[0].total());
        });
    handlers.put(
        "ptyExpectDuringBurst",
        r -> {
          rig.tap.expect(bytes(r), Duration.ofMillis(r.get("timeoutMs").asLong()));
          long written = burst[0].written();
          boolean running = burst[0].running();
          assertTrue(
              running,
              "the keystroke arrived only after the burst ended ("
                  + burst[0].millis()
                  + " ms): nothing shows it round-trips during one");
          return Map.of("written", written, "running", running);
        });

    BrowserDialogue.run("terminal.mjs", "burst", env(rig), handlers, SCENARIO_TIMEOUT);

    assertTrue(burst[0] != null && !burst[0].running(), "the burst did not finish");
    assertEquals(null, burst[0].failure(), "writing the burst failed");
    System.out.printf(
        "[terminal] %d bytes from the serial line to the browser in %d ms (%.1f MB/s)%n",
        burst[0].total(), burst[0].millis(), burst[0].total() / 1e3 / burst[0].millis());
  }

  @Test
  void theDeviceGoingOfflineShowsOnTheOpenPagesAndReconnectWorksOnceItIsBack() {
    Rig rig = new Rig(null);
    rig.startAndAwaitOnline();
    BrowserDialogue.run("terminal.mjs", "offline", env(rig), rig.handlers(), SCENARIO_TIMEOUT);
  }

  @Test
  void disablingTheUserClosesTheirOpenTerminalWithTheReason() {
    String group = group();
    String[] user = operator(group);
    Rig rig = new Rig(group);
    rig.startAndAwaitOnline();
    Map<String, BrowserDialogue.Handler> handlers = rig.handlers();
    handlers.put(
        "disableUser",
        r -> {
          PortalApi.expect(
              200,
              admin.request("PATCH", "/api/users/" + user[0], Map.of("disabled", true)),
              "PATCH /api/users/" + user[0]);
          return null;
        });
    BrowserDialogue.run(
        "terminal.mjs",
        "revoked",
        env(rig, "USERNAME", user[1], "PASSWORD", user[2]),
        handlers,
        SCENARIO_TIMEOUT);
  }

  /**
   * The terminal's WebSocket upgrade with the browser's own session cookie: refused (403) with a
   * foreign Origin and without one, accepted with the portal's origin (where, as the browser holds
   * the target, the portal answers "busy" naming the holder).
   */
  private static Map<String, Object> originCheck(Rig rig, String cookie, String holder)
      throws Exception {
    URI uri =
        URI.create(
            "ws://127.0.0.1:"
                + portal.httpPort()
                + "/api/devices/"
                + rig.id()
                + "/terminal?target=console");
    assertEquals(403, refusedStatus(uri, cookie, "http://evil.example"), "a foreign Origin");
    assertEquals(
        403,
        refusedStatus(uri, cookie, "http://127.0.0.1:" + (portal.httpPort() + 1)),
        "another port of the same host");
    assertEquals(403, refusedStatus(uri, cookie, null), "no Origin at all");

    Messages messages = new Messages();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Origin", portal.baseUrl())
            .header("Cookie", cookie)
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(uri, messages)
            .get(10, TimeUnit.SECONDS);
    String first = messages.first.get(10, TimeUnit.SECONDS);
    ws.abort();
    assertTrue(
        first.contains("\"state\":\"busy\"") && first.contains("\"holder\":\"" + holder + "\""),
        "the accepted socket's first message: " + first);
    return Map.of("foreignOrigin", 403, "sameOrigin", "accepted", "first", first);
  }

  /** The HTTP status that refused the upgrade; fails if the upgrade succeeded. */
  private static int refusedStatus(URI uri, String cookie, String origin) throws Exception {
    WebSocket.Builder builder =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Cookie", cookie)
            .connectTimeout(Duration.ofSeconds(5));
    if (origin != null) {
      builder.header("Origin", origin);
    }
    try {
      WebSocket ws = builder.buildAsync(uri, new Messages()).get(10, TimeUnit.SECONDS);
      ws.abort();
      throw new AssertionError("the upgrade with Origin " + origin + " was accepted");
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  /** Collects the first text message of a socket. */
  private static final class Messages implements WebSocket.Listener {
    final CompletableFuture<String> first = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        first.complete(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      first.complete("(closed " + status + " " + reason + ")");
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      first.completeExceptionally(error);
    }
  }
}
