package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.testing.AgentProcess;
import io.tether.testing.Await;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalFixture;
import io.tether.testing.PortalProcess;
import io.tether.testing.PtyTap;
import io.tether.testing.SocatPty;
import io.tether.testing.Started;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Self-enrollment in the browser, end to end: the packaged portal, headless Chromium running
 * frontend/e2e/enroll.mjs as an admin, and a real agent process started with the enrollment token
 * the page showed, its serial target a socat PTY. The browser checks what the admin sees (the token
 * once, a command line without it, the device waiting for approval, approved into the fleet, its
 * terminal, the token revoked); this side starts the agent, reads and writes the serial line, and
 * afterwards checks the device and the token as the API tells them.
 */
class EnrollmentBrowserIT {
  /** Two browser contexts, one agent JVM and a dozen page loads on 2 busy cores. */
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(180);

  // 127.0.0.1 trusted as a proxy: each browser context signs in from its own X-Forwarded-For
  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("enrollment-browser", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  /** What the test started; closed after it in reverse order. */
  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  @Test
  void aDeviceEnrollsWithATokenFromThePageWaitsForApprovalAndIsReachableOnceApproved() {
    String name = PortalApi.unique("enrolled");
    SocatPty pty = started.add(SerialRig.openPty());
    PtyTap tap = started.add(PtyTap.open(pty));
    AtomicReference<String> token = new AtomicReference<>();
    AtomicReference<AgentProcess> agent = new AtomicReference<>();

    Map<String, BrowserDialogue.Handler> handlers = new HashMap<>();
    handlers.put(
        "enroll",
        r -> {
          token.set(r.get("token").asText());
          AgentProcess a =
              started.add(
                  AgentProcess.enrolling(
                      name,
                      portal.tunnelUrl(),
                      token.get(),
                      name,
                      List.of("console=serial:" + pty.devicePath() + "?baud=115200"),
                      false));
          agent.set(a.start());
          a.awaitLog(AgentProcess.ENROLLED, Duration.ofSeconds(30));
          return null;
        });
    handlers.put(
        "ptyWrite",
        r -> {
          tap.write(SerialRig.bytes(r));
          return null;
        });
    handlers.put(
        "ptyExpect",
        r -> {
          tap.expect(SerialRig.bytes(r), Duration.ofMillis(r.path("timeoutMs").asLong(10_000)));
          return null;
        });

    long startedAt = System.nanoTime();
    BrowserDialogue.run(
        "enroll.mjs",
        "enroll",
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
        "[enroll] browser scenario passed in %d ms%n", (System.nanoTime() - startedAt) / 1_000_000);

    String secret = token.get();
    assertTrue(
        agent.get() != null && secret != null, "the scenario never asked for the agent to start");
    String arguments =
        ProcessHandle.of(agent.get().process().pid())
            .flatMap(p -> p.info().arguments())
            .map(a -> String.join(" ", a))
            .orElse("");
    assertFalse(
        arguments.contains(secret), () -> "the enrollment token is on the agent's command line");

    JsonNode devices = portal.admin().get("/api/devices?name=" + name);
    assertEquals(1, devices.get("items").size(), () -> "the enrolled device: " + devices);
    JsonNode device = devices.get("items").get(0);
    assertEquals("active", device.get("state").asText(), () -> "after approval: " + device);
    assertTrue(device.get("online").asBoolean(), () -> "after approval: " + device);

    String prefix = secret.substring(0, "ten_".length() + 12);
    JsonNode view =
        StreamSupport.stream(
                portal.admin().get("/api/enrollment-tokens").get("items").spliterator(), false)
            .filter(t -> prefix.equals(t.get("prefix").asText()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no enrollment token " + prefix + " listed"));
    assertEquals("revoked", view.get("state").asText(), () -> "the token: " + view);
    assertEquals(1, view.get("used").asInt(), () -> "the token: " + view);
    assertEquals(2, view.get("uses").asInt(), () -> "the token: " + view);

    // audit entries are written asynchronously
    String approvals = "/api/audit?action=device.approve&device=" + device.get("id").asText();
    Await.until(
        "the approval in the audit log",
        Duration.ofSeconds(10),
        () -> portal.admin().get(approvals).get("items").size() == 1);

    for (String png :
        List.of(
            "enroll-token.png",
            "enroll-pending.png",
            "enroll-pending-phone.png",
            "enroll-tokens-phone.png",
            "enroll-terminal.png",
            "enroll-revoked.png")) {
      assertTrue(
          Files.isRegularFile(BrowserScenario.screenshots().resolve(png)), png + " was not saved");
    }
  }
}
