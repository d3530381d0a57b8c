package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.Started;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared sessions in the browser, end to end: the packaged portal, a real agent process whose
 * serial target is a socat PTY, and headless Chromium running frontend/e2e/sessions.mjs with three
 * browser contexts (two operators and an admin). The browser side checks what each user sees; this
 * side reads and writes the serial line byte-exact, reads the audit log, and afterwards checks the
 * session as the API tells it: closed by the admin, one participant span per role, and a raw
 * recording that is exactly what the device printed.
 */
class SessionsBrowserIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(180);

  // 127.0.0.1 trusted as a proxy: each browser context signs in from its own X-Forwarded-For
  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("sessions-browser", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  /** What one test started; closed after it in reverse order. */
  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  @Test
  void twoOperatorsShareAConsoleAndAnAdminEndsAndReplaysTheSession() {
    String group =
        portal
            .admin()
            .post("/api/groups", Map.of("name", PortalApi.unique("bench")))
            .get("name")
            .asText();
    String[] first = portal.admin().newOperator(group);
    String[] second = portal.admin().newOperator(group);
    SerialRig rig =
        new SerialRig(portal.process(), portal.admin(), "shared", group, false, started);
    rig.startAndAwaitOnline();

    Map<String, BrowserDialogue.Handler> handlers = rig.handlers();
    // what the device printed, in order: the raw recording must be exactly this
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    BrowserDialogue.Handler write = handlers.get("ptyWrite");
    handlers.put(
        "ptyWrite",
        r -> {
          synchronized (printed) {
            printed.writeBytes(SerialRig.bytes(r));
          }
          return write.handle(r);
        });
    handlers.put("auditEntry", r -> auditEntry(rig, r));

    long startedAt = System.nanoTime();
    BrowserDialogue.run(
        "sessions.mjs",
        "sharing",
        Map.of(
            "TETHER_URL",
            portal.baseUrl(),
            "ADMIN_PASSWORD",
            PortalProcess.ADMIN_PASSWORD,
            "DEVICE_ID",
            Long.toString(rig.id()),
            "DEVICE_NAME",
            rig.name(),
            "FIRST_USERNAME",
            first[1],
            "FIRST_PASSWORD",
            first[2],
            "SECOND_USERNAME",
            second[1],
            "SECOND_PASSWORD",
            second[2]),
        handlers,
        SCENARIO_TIMEOUT);
    System.out.printf(
        "[sessions] browser scenario passed in %d ms%n",
        (System.nanoTime() - startedAt) / 1_000_000);

    assertEquals(
        0,
        rig.tap.unread().length,
        () ->
            "the device received bytes nobody in control typed: "
                + new String(rig.tap.unread(), StandardCharsets.UTF_8));

    JsonNode sessions = portal.admin().get("/api/sessions?device=" + rig.id());
    assertEquals(1, sessions.get("items").size(), () -> "sessions of the device: " + sessions);
    JsonNode session = sessions.get("items").get(0);
    long id = session.get("id").asLong();
    assertEquals("ended", session.get("state").asText(), () -> "the session: " + session);
    assertEquals(
        "ended-by-admin", session.get("closeReason").asText(), () -> "the session: " + session);
    Set<String> spans = new HashSet<>();
    for (JsonNode p : session.get("participants")) {
      spans.add(p.get("username").asText() + ":" + p.get("role").asText());
      assertTrue(!p.get("leftAt").isNull(), () -> "a span still open after the end: " + session);
    }
    assertEquals(
        Set.of(
            first[1] + ":controller",
            first[1] + ":observer",
            second[1] + ":observer",
            second[1] + ":controller"),
        spans,
        () -> "the participant spans: " + session);
    // controller, observer; at the hand-over: observer and controller; at the take-over: both again
    assertEquals(6, session.get("participants").size(), () -> "the participant spans: " + session);

    byte[] expected;
    synchronized (printed) {
      expected = printed.toByteArray();
    }
    AtomicReference<String> raw = new AtomicReference<>("nothing yet");
    try {
      Await.until(
          "the raw recording to be exactly what the device printed",
          Duration.ofSeconds(10),
          () -> {
            HttpResponse<byte[]> r = rawRecording(id);
            raw.set(r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
            return r.statusCode() == 200 && Arrays.equals(expected, r.body());
          });
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; printed "
              + new String(expected, StandardCharsets.UTF_8)
              + ", recorded "
              + raw.get(),
          e);
    }

    JsonNode ends = portal.admin().get("/api/audit?action=session.end&device=" + rig.id());
    assertEquals(1, ends.get("items").size(), () -> "session.end audit entries: " + ends);
    assertEquals("admin", ends.get("items").get(0).get("actor").asText());

    for (String png :
        List.of(
            "sessions-controller.png",
            "sessions-observer.png",
            "sessions-handed-over.png",
            "sessions-list.png",
            "sessions-ended-terminal.png",
            "sessions-replay.png",
            "sessions-device.png")) {
      assertTrue(
          Files.isRegularFile(BrowserScenario.screenshots().resolve(png)), png + " was not saved");
    }
  }

  /** GET the raw recording (bytes, byte-exact) with the admin's cookie. */
  private static HttpResponse<byte[]> rawRecording(long id) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(
                      URI.create(
                          portal.baseUrl() + "/api/sessions/" + id + "/recording?format=raw"))
                  .header("Cookie", portal.admin().cookie())
                  .timeout(Duration.ofSeconds(15))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Waits for the audit entry of {@code action} by {@code actor} on the rig's device whose detail
   * is {@code detail} (audit entries are written asynchronously); answers it.
   */
  private static JsonNode auditEntry(SerialRig rig, JsonNode request) {
    String action = request.get("action").asText();
    String actor = request.get("actor").asText();
    String detail = request.get("detail").asText();
    String path = "/api/audit?action=" + action + "&actor=" + actor + "&device=" + rig.id();
    AtomicReference<JsonNode> found = new AtomicReference<>();
    AtomicReference<JsonNode> last = new AtomicReference<>();
    try {
      Await.until(
          action + " by " + actor + " (" + detail + ") in the audit log",
          Duration.ofSeconds(10),
          () -> {
            JsonNode items = portal.admin().get(path).get("items");
            last.set(items);
            for (JsonNode e : items) {
              if (detail.equals(e.path("detail").asText())
                  && "ok".equals(e.path("outcome").asText())) {
                found.set(e);
                return true;
              }
            }
            return false;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; GET " + path + " answered " + last.get(), e);
    }
    return found.get();
  }
}
