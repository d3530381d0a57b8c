package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.PtyTap;
import io.tether.testing.Started;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  // 127.0.0.1 trusted as a proxy: each browser context signs in from its own X-Forwarded-For
  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("terminal", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  /** What one test started; closed after it in reverse order. */
  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  /** A device with a serial target "console" on a socat PTY, its agent made but not started. */
  private SerialRig rig(String group) {
    return rig(group, false);
  }

  /** With {@code echo}, a second target "echo" (TCP, an echo server) beside the serial one. */
  private SerialRig rig(String group, boolean echo) {
    return new SerialRig(portal.process(), portal.admin(), "term", group, echo, started);
  }

  private static Map<String, String> env(SerialRig rig, String... keyValues) {
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

  private static String group() {
    return portal
        .admin()
        .post("/api/groups", Map.of("name", PortalApi.unique("bench")))
        .get("name")
        .asText();
  }

  @Test
  void aUserSeesTheDeviceComeOnlineAndWorksInItsSerialConsole() {
    String group = group();
    String[] user = portal.admin().newOperator(group);
    String[] other = portal.admin().newOperator(group);
    SerialRig rig = rig(group, true);
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
    for (String png : List.of("fleet-online.png", "terminal.png", "terminal-observer.png")) {
      assertTrue(
          Files.isRegularFile(BrowserScenario.screenshots().resolve(png)), png + " was not saved");
    }
    // joins: the first user's console and echo terminals, the second browser, the Origin check
    JsonNode joins = portal.admin().get("/api/audit?action=session.join&device=" + rig.id());
    assertTrue(joins.get("items").size() >= 3, () -> "session.join audit entries: " + joins);
    Await.until(
        "the second user's take-over in the audit log",
        Duration.ofSeconds(10),
        () ->
            portal
                    .admin()
                    .get(
                        "/api/audit?action=session.take-over&actor="
                            + other[1]
                            + "&device="
                            + rig.id())
                    .get("items")
                    .size()
                == 1);
  }

  @Test
  void aTwentyMegabyteBurstLeavesThePageResponsive() {
    SerialRig rig = rig(null);
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
          rig.tap.expect(SerialRig.bytes(r), Duration.ofMillis(r.get("timeoutMs").asLong()));
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
    SerialRig rig = rig(null);
    rig.startAndAwaitOnline();
    BrowserDialogue.run("terminal.mjs", "offline", env(rig), rig.handlers(), SCENARIO_TIMEOUT);
  }

  @Test
  void disablingTheUserClosesTheirOpenTerminalWithTheReason() {
    String group = group();
    String[] user = portal.admin().newOperator(group);
    SerialRig rig = rig(group);
    rig.startAndAwaitOnline();
    Map<String, BrowserDialogue.Handler> handlers = rig.handlers();
    handlers.put(
        "disableUser",
        r -> {
          PortalApi.expect(
              200,
              portal.admin().request("PATCH", "/api/users/" + user[0], Map.of("disabled", true)),
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
   * foreign Origin and without one, accepted with the portal's origin (where, as the browser
   * controls the target's live session, the socket joins it as an observer, the holder named as the
   * controller).
   */
  private static Map<String, Object> originCheck(SerialRig rig, String cookie, String holder)
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
    JsonNode session;
    String first;
    try {
      first = messages.next(Duration.ofSeconds(10));
      session = messages.session(Duration.ofSeconds(10));
    } finally {
      ws.abort();
    }
    assertTrue(
        first.contains("\"state\":\"live\""), "the accepted socket's first message: " + first);
    assertEquals(
        "observer", session.path("role").asText(), () -> "the session message: " + session);
    assertEquals(
        holder, session.path("controller").asText(), () -> "the session message: " + session);
    return Map.of(
        "foreignOrigin", 403, "sameOrigin", "accepted", "first", first, "role", "observer");
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

  /** Collects the text messages of a socket, in order; a close ends the list. */
  private static final class Messages implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        texts.add(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ws.request(1); // the session's recent output: not looked at here
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      texts.add("(closed " + status + " " + reason + ")");
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      texts.add("(error " + error + ")");
    }

    /** The next text message; fails after {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
      String message = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("no message from the terminal socket within " + timeout);
      }
      return message;
    }

    /** The next {"type": "session"} message (skipping others); fails after {@code timeout}. */
    JsonNode session(Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<String> seen = new ArrayList<>();
      for (; ; ) {
        long left = deadline - System.nanoTime();
        String message = left > 0 ? texts.poll(left, TimeUnit.NANOSECONDS) : null;
        if (message == null) {
          throw new AssertionError("no session message within " + timeout + "; got " + seen);
        }
        seen.add(message);
        if (message.startsWith("{")) {
          JsonNode json = JSON.readTree(message);
          if ("session".equals(json.path("type").asText())) {
            return json;
          }
        }
      }
    }
  }
}
