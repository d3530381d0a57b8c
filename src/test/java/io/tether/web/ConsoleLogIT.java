package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.session.TerminalClient;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.Started;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Console logging end to end (docs/console-log.md): the packaged portal, a real agent whose serial
 * target is a socat PTY, the log read back over the REST API, a terminal session sharing the logged
 * channel, the log store held up by a table lock, and the portal killed and started again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleLogIT {
  private static final Duration LOGGING = Duration.ofSeconds(20);
  private static final Duration STORED = Duration.ofSeconds(15);

  /** Browser start, a dozen steps and a terminal on 2 busy cores, with room to spare. */
  private static final Duration BROWSER = Duration.ofSeconds(180);

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("console-log", Map.of("TETHER_CONSOLE_LOG_PURGE_EVERY", "2s"));

  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  private SerialRig rig(String group) {
    SerialRig rig = new SerialRig(portal.process(), portal.admin(), "log", group, false, started);
    rig.startAndAwaitOnline();
    return rig;
  }

  private static void logAlways(SerialRig rig) {
    PortalApi.expect(
        200,
        portal
            .admin()
            .request(
                "PATCH",
                "/api/devices/" + rig.id(),
                Map.of("targets", Map.of("console", Map.of("log", "always")))),
        "turning console logging on");
    awaitMarker(rig, "logging started");
  }

  private static JsonNode log(SerialRig rig, String query) {
    return portal.admin().get("/api/devices/" + rig.id() + "/targets/console/log" + query);
  }

  private static List<String> lines(JsonNode log) {
    return field(log, "text");
  }

  private static List<String> markers(JsonNode log) {
    return field(log, "marker");
  }

  /** The {@code field} of each item that has it: "text" of lines, "marker" of markers. */
  private static List<String> field(JsonNode log, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode item : log.path("items")) {
      if (item.hasNonNull(field)) {
        values.add(item.get(field).asText());
      }
    }
    return values;
  }

  /** The markers of the whole log, page by page. */
  private static List<String> allMarkers(SerialRig rig) {
    List<String> all = new ArrayList<>();
    String query = "?limit=10000";
    while (true) {
      JsonNode page = log(rig, query);
      all.addAll(markers(page));
      if (page.path("next").isNull() || page.path("next").isMissingNode()) {
        return all;
      }
      query = "?limit=10000&cursor=" + page.get("next").asText();
    }
  }

  private static void awaitMarker(SerialRig rig, String prefix) {
    Await.until(
        "a log marker starting '" + prefix + "'",
        LOGGING,
        () -> allMarkers(rig).stream().anyMatch(m -> m.startsWith(prefix)));
  }

  private static void awaitLine(SerialRig rig, String line) {
    Await.until(
        "the log to hold '" + line + "'",
        STORED,
        () -> lines(log(rig, "?limit=10000")).contains(line));
  }

  private static byte[] raw(SerialRig rig) {
    try {
      return fetchRaw(rig);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] fetchRaw(SerialRig rig) throws java.io.IOException, InterruptedException {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            portal.baseUrl()
                                + "/api/devices/"
                                + rig.id()
                                + "/targets/console/log?format=raw"))
                    .header("Cookie", portal.admin().cookie())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), "format=raw as an admin");
    return r.body();
  }

  @Test
  @Order(1)
  void whatTheDevicePrintsWhileNobodyIsConnectedIsLoggedInOrderWithItsTimesAndByteExact()
      throws Exception {
    SerialRig rig = rig(null);
    logAlways(rig);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    Instant before = Instant.now();
    for (int i = 1; i <= 12; i++) {
      byte[] line = ("boot step " + i + " \u00e9t\u00e9 ok\r\n").getBytes(StandardCharsets.UTF_8);
      rig.tap.write(line);
      written.write(line);
      Thread.sleep(250);
    }
    Instant after = Instant.now();
    awaitLine(rig, "boot step 12 \u00e9t\u00e9 ok");

    JsonNode log = log(rig, "?limit=10000");
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      expected.add("boot step " + i + " \u00e9t\u00e9 ok");
    }
    assertEquals(expected, lines(log), "every line, in order, decoded with the device's encoding");
    Instant previous = Instant.EPOCH;
    for (JsonNode item : log.get("items")) {
      Instant at = Instant.parse(item.get("at").asText());
      assertTrue(!at.isBefore(previous), "times never go back: " + log);
      previous = at;
      if (item.hasNonNull("text")) {
        assertTrue(
            !at.isBefore(before.minusSeconds(1)) && !at.isAfter(after.plusSeconds(2)),
            "a line's time is when it was printed: " + item);
      }
    }
    assertArrayEquals(written.toByteArray(), raw(rig), "format=raw gives the bytes as printed");
    assertEquals(
        List.of("boot step 11 \u00e9t\u00e9 ok", "boot step 12 \u00e9t\u00e9 ok"),
        lines(log(rig, "?tail=2")),
        "tail gives the last lines (a terminal's scrollback)");
    assertEquals(
        List.of(
            "boot step 1 \u00e9t\u00e9 ok",
            "boot step 10 \u00e9t\u00e9 ok",
            "boot step 11 \u00e9t\u00e9 ok",
            "boot step 12 \u00e9t\u00e9 ok"),
        lines(log(rig, "?q=STEP%201")),
        "a plain search ignores case");
    assertEquals(
        List.of("boot step 3 \u00e9t\u00e9 ok"),
        lines(log(rig, "?regex=true&q=step%20%5B3%5D%20")),
        "a regular expression search");
    JsonNode page = log(rig, "?limit=5");
    assertEquals(expected.subList(0, 4), lines(page), "a page holds the marker and four lines");
    assertEquals(
        expected.subList(4, 9),
        lines(log(rig, "?limit=5&cursor=" + page.get("next").asText())),
        "the next page goes on where the first stopped");
  }

  @Test
  @Order(2)
  void aTerminalSharesTheLoggedChannelAndLoggingGoesOnAfterItCloses() throws Exception {
    SerialRig rig = rig(null);
    logAlways(rig);
    try (TerminalClient t =
        TerminalClient.terminal(portal.baseUrl(), portal.admin(), rig.id(), "console")) {
      t.awaitLive();
      t.type("show version\r".getBytes(StandardCharsets.US_ASCII));
      rig.tap.expect("show version\r".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
      rig.tap.write("version 1.2.3\r\n".getBytes(StandardCharsets.US_ASCII));
      t.awaitReceived(
          "version 1.2.3\r\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
    }
    awaitLine(rig, "version 1.2.3");
    rig.tap.write("after the session\r\n".getBytes(StandardCharsets.US_ASCII));
    awaitLine(rig, "after the session");
    assertEquals(
        1,
        markers(log(rig, "?limit=10000")).stream().filter(m -> m.startsWith("logging")).count(),
        "the session borrowed the channel: the log never stopped or restarted");
    assertTrue(
        !new String(raw(rig), StandardCharsets.US_ASCII).contains("show version"),
        "typed input is never logged");
  }

  @Test
  @Order(3)
  void legacyHostSoftwareOnALinkPortTalksToALoggedTargetWhileTheLogGoesOn() throws Exception {
    SerialRig rig = rig(null);
    logAlways(rig);
    JsonNode link =
        PortalApi.expect(
            201,
            portal
                .admin()
                .request(
                    "POST",
                    "/api/devices/" + rig.id() + "/links",
                    Map.of("target", "console", "allowCidrs", List.of("127.0.0.1/32"))),
            "a link port to the logged target");
    try (java.net.Socket host =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), link.get("port").asInt())) {
      host.setSoTimeout(10_000);
      host.getOutputStream().write("STATUS?\r".getBytes(StandardCharsets.US_ASCII));
      rig.tap.expect("STATUS?\r".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
      byte[] answer = "STATUS OK\r\n".getBytes(StandardCharsets.US_ASCII);
      rig.tap.write(answer);
      assertArrayEquals(
          answer, host.getInputStream().readNBytes(answer.length), "the host reads the answer");
    }
    awaitLine(rig, "STATUS OK");
    rig.tap.write("after the host left\r\n".getBytes(StandardCharsets.US_ASCII));
    awaitLine(rig, "after the host left");
    assertEquals(
        1,
        allMarkers(rig).stream().filter(m -> m.startsWith("logging")).count(),
        "the link borrowed the logged channel: the log never stopped");
  }

  @Test
  @Order(4)
  void aLogStoreThatCannotKeepUpNeverSlowsTheTerminalAndLeavesAMarkedGap() throws Exception {
    SerialRig rig = rig(null);
    logAlways(rig);
    long burst = 12L << 20; // beyond the 8 MiB the node holds for the store
    try (TerminalClient t =
            TerminalClient.terminal(portal.baseUrl(), portal.admin(), rig.id(), "console");
        Connection db = portal.process().jdbc()) {
      t.awaitLive();
      db.setAutoCommit(false);
      try (Statement s = db.createStatement()) {
        s.execute("lock table console_log_chunks in access exclusive mode");
      }
      io.tether.testing.PtyTap.Burst b = rig.tap.burst(burst, "BURST-END\r\n");
      t.awaitBytes((int) burst, Duration.ofSeconds(90)); // the whole burst while the store is held
      b.await(Duration.ofSeconds(10));
      db.rollback(); // the store answers again
    }
    Await.until(
        "a marker saying bytes were not logged",
        STORED,
        () ->
            allMarkers(rig).stream()
                .anyMatch(m -> m.contains("bytes not logged: the log store could not keep up")));
  }

  @Test
  @Order(5)
  void aTargetOverItsGroupsSizeBoundDropsItsOldestChunksOnly() throws Exception {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("small")))
            .get("name")
            .asText();
    long groupId = groupId(group);
    PortalApi.expect(
        200,
        portal
            .admin()
            .request(
                "PATCH",
                "/api/groups/" + groupId,
                Map.of("consoleLog", "always", "consoleLogMaxBytes", 65536)),
        "a group logging its serial targets, 64 KiB each");
    SerialRig rig = rig(group);
    awaitMarker(rig, "logging started"); // the group's default: no setting on the target
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder chunk = new StringBuilder();
      for (int j = 0; j < 50; j++) {
        String line = String.format("chunk %03d line %02d %s", i, j, "x".repeat(60));
        written.add(line);
        chunk.append(line).append("\r\n");
      }
      rig.tap.write(chunk.toString().getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(1100 / 4); // a few flushes a second: many chunks
    }
    awaitLine(rig, String.format("chunk %03d line %02d %s", 39, 49, "x".repeat(60)));
    Await.until(
        "the purge to bring the target under 64 KiB",
        Duration.ofSeconds(30),
        () -> raw(rig).length <= 65536);
    List<String> kept = lines(log(rig, "?limit=10000"));
    // the first kept chunk may begin inside a line: the lines after it are the newest written
    List<String> whole = kept.subList(1, kept.size());
    assertEquals(
        written.subList(written.size() - whole.size(), written.size()),
        whole,
        "the newest lines stay, all of them, in order");
    assertTrue(whole.size() < written.size() / 2, "the oldest chunks went: " + whole.size());
    assertTrue(
        raw(rig).length > 65536 / 2,
        "only the oldest chunks went, not the target's whole log: " + raw(rig).length);
  }

  private static long groupId(String name) {
    for (JsonNode g : portal.admin().get("/api/groups").path("items")) {
      if (g.path("name").asText().equals(name)) {
        return g.path("id").asLong();
      }
    }
    throw new AssertionError("no group " + name);
  }

  @Test
  @Order(6)
  void aKernelPanicRuleRaisesOneConsoleMatchWithTheLineAndRespectsItsCoolDown() throws Exception {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("rules")))
            .get("name")
            .asText();
    portal
        .admin()
        .post(
            "/api/groups/" + group + "/console-rules",
            Map.of(
                "name",
                "panic",
                "pattern",
                "Kernel panic",
                "severity",
                "critical",
                "cooldownSeconds",
                300));
    SerialRig rig = rig(group);
    logAlways(rig);
    rig.tap.write(
        "booting\r\nKernel panic - not syncing: VFS: Unable to mount root fs\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    Await.until(
        "the device to show the console match",
        STORED,
        () -> !portal.admin().get("/api/devices/" + rig.id()).path("consoleMatch").isNull());
    rig.tap.write(
        "Kernel panic - not syncing: again\r\nok\r\n".getBytes(StandardCharsets.US_ASCII));
    awaitLine(rig, "ok"); // the second panic line went through the rules too
    JsonNode match = portal.admin().get("/api/devices/" + rig.id()).get("consoleMatch");
    assertEquals("panic", match.get("rule").asText(), match.toString());
    assertEquals("critical", match.get("severity").asText(), match.toString());
    assertEquals(
        "Kernel panic - not syncing: VFS: Unable to mount root fs", match.get("line").asText());
    JsonNode audit = portal.admin().get("/api/audit?action=console.match&device=" + rig.id());
    assertEquals(1, audit.path("items").size(), "one raise within the cool-down: " + audit);
    assertTrue(
        audit.path("items").get(0).path("detail").asText().contains("Unable to mount root fs"),
        audit.toString());
  }

  @Test
  @Order(7)
  void aPathologicalSearchPatternCannotStallThePortal() {
    SerialRig rig = rig(null);
    logAlways(rig);
    StringBuilder line = new StringBuilder();
    line.append("a".repeat(4000)).append("!\r\n");
    try {
      rig.tap.write(line.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    awaitLine(rig, "a".repeat(4000) + "!");
    long started = System.nanoTime();
    JsonNode found = log(rig, "?regex=true&q=%28a%2B%29%2B%24");
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(0, lines(found).size(), "(a+)+$ finds no line ending in a");
    assertTrue(millis < 10_000, "a linear-time search answers at once, took " + millis + " ms");
  }

  @Test
  @Order(8)
  void badSettingsAreRefusedNamingTheField() {
    SerialRig rig = rig(null);
    JsonNode problem =
        PortalApi.expect(
            400,
            portal
                .admin()
                .request(
                    "PATCH",
                    "/api/devices/" + rig.id(),
                    Map.of("targets", Map.of("console", Map.of("log", "sometimes")))),
            "an unknown log policy");
    assertEquals("targets.console.log", problem.path("field").asText(), problem.toString());
    assertTrue(problem.toString().contains("must be always, off or default"), problem.toString());
    JsonNode format =
        PortalApi.expect(
            400,
            portal
                .admin()
                .request(
                    "GET", "/api/devices/" + rig.id() + "/targets/console/log?format=pdf", null),
            "an unknown format");
    assertTrue(format.toString().contains("format"), format.toString());
    JsonNode regex =
        PortalApi.expect(
            400,
            portal
                .admin()
                .request(
                    "GET",
                    "/api/devices/" + rig.id() + "/targets/console/log?regex=true&q=(",
                    null),
            "a regular expression that does not compile");
    assertTrue(
        regex.toString().contains("\"q\"") || regex.toString().contains("q is not"),
        regex.toString());
  }

  /**
   * frontend/e2e/consolelog.mjs: an admin turns logging on from the device page, the device prints
   * with nobody connected, the console-log page shows, searches and downloads it, and a terminal
   * opened afterwards shows it above the live stream.
   */
  @Test
  @Order(9)
  void theBrowserShowsSearchesAndDownloadsTheLogAndATerminalShowsItAsScrollback() {
    SerialRig rig = rig(null);
    Map<String, BrowserDialogue.Handler> handlers = rig.handlers();
    handlers.put(
        "awaitLogging",
        r -> {
          awaitMarker(rig, "logging started");
          return null;
        });
    BrowserDialogue.run(
        "consolelog.mjs", "page", rig.scenarioEnv(portal.baseUrl()), handlers, BROWSER);
    JsonNode console = portal.admin().get("/api/devices/" + rig.id()).get("targets").get(0);
    assertEquals("always", console.path("logSetting").asText(), "the page saved the setting");
    // the terminal borrowed the logged channel: what it showed live is in the log as well
    awaitLine(rig, "live after the join: counter 7");
  }

  @Test
  @Order(99)
  void aPortalRestartLeavesAMarkedGapAndLoggingResumes() throws Exception {
    SerialRig rig = rig(null);
    logAlways(rig);
    rig.tap.write("before the crash\r\n".getBytes(StandardCharsets.US_ASCII));
    awaitLine(rig, "before the crash");
    portal.process().kill9();
    rig.tap.write("while the portal was down\r\n".getBytes(StandardCharsets.US_ASCII));
    portal.process().start();
    portal.signInAgain();
    Await.until(
        rig.name() + " back online",
        Duration.ofSeconds(60),
        () -> portal.admin().get("/api/devices/" + rig.id()).get("online").asBoolean());
    awaitMarker(rig, "logging resumed: nothing was logged since");
    rig.tap.write("after the restart\r\n".getBytes(StandardCharsets.US_ASCII));
    awaitLine(rig, "after the restart");
    List<String> lines = lines(log(rig, "?limit=10000"));
    assertEquals("before the crash", lines.get(0), lines.toString());
    assertEquals("after the restart", lines.get(lines.size() - 1), lines.toString());
  }
}
