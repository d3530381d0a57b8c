package io.tether.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.PortalFixture;
import io.tether.testing.Started;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The portal on a phone and on a wall screen (issue 23): headless Chromium running
 * frontend/e2e/responsive.mjs against one packaged portal, with a real agent whose serial target is
 * a socat PTY. No page scrolls sideways at phone widths, the key bar's bytes reach the serial line
 * byte-exact, the terminal owns a desktop screen and goes full screen, the overview follows an
 * agent and a terminal session without a reload, and axe-core finds no serious or critical
 * violations in either theme.
 */
class ResponsiveBrowserIT {
  /** Two phone sizes times a dozen pages, or 66 page loads with screenshots, on 2 busy cores. */
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(400);

  @RegisterExtension
  static final PortalFixture portal =
      PortalFixture.start("responsive", Map.of("TETHER_TRUSTED_PROXIES", "127.0.0.1"));

  /** What one test started; closed after it in reverse order. */
  private final Started started = new Started();

  @AfterEach
  void closeStarted() {
    started.close();
  }

  private SerialRig rig() {
    return new SerialRig(portal.process(), portal.admin(), "resp", null, false, started);
  }

  private static void run(String scenario, SerialRig rig) {
    BrowserDialogue.run(
        "responsive.mjs",
        scenario,
        rig.scenarioEnv(portal.baseUrl()),
        rig.handlers(),
        SCENARIO_TIMEOUT);
  }

  @Test
  void phoneWidthsNeverScrollSidewaysAndTheKeyBarSendsCtrlCAndEscByteExact() {
    SerialRig rig = rig();
    rig.startAndAwaitOnline();
    run("phones", rig);
    assertEquals(
        0,
        rig.tap.unread().length,
        () ->
            "the device received bytes nobody typed: "
                + new String(rig.tap.unread(), StandardCharsets.UTF_8));
  }

  @Test
  void theTerminalFillsADesktopScreenAndGoesFullScreenAndBack() {
    SerialRig rig = rig();
    rig.startAndAwaitOnline();
    run("desktop", rig);
  }

  /** The agent connects and leaves, a terminal session opens and ends: the overview follows. */
  @Test
  void theOverviewFollowsAnAgentAndATerminalSessionWithoutAReload() {
    run("dashboard", rig());
  }

  /**
   * A console rule on the device's group and a match on the device, so that the pages checked show
   * the rules card and the badge. The match is written as ConsoleRuleBook.scan writes it: nothing
   * in this test makes the device print a matching line to a logger.
   */
  private static void showConsoleMatch(SerialRig rig) throws Exception {
    portal
        .admin()
        .post(
            "/api/groups/default/console-rules",
            Map.of("name", "kernel panic", "pattern", "Kernel panic", "severity", "critical"));
    try (Connection db = portal.process().jdbc();
        PreparedStatement s =
            db.prepareStatement(
                "update devices set console_match_rule = 'kernel panic',"
                    + " console_match_severity = 'critical', console_match_target = 'console',"
                    + " console_match_line = 'Kernel panic - not syncing: VFS: Unable to mount root"
                    + " fs on unknown-block(0,0)', console_match_at = now() where id = ?")) {
      s.setLong(1, rig.id());
      assertEquals(1, s.executeUpdate());
    }
  }

  @Test
  void everyPageHasNoSeriousAccessibilityViolationsInEitherThemeAndIsPhotographed()
      throws Exception {
    SerialRig rig = rig();
    rig.startAndAwaitOnline();
    showConsoleMatch(rig);
    run("axe", rig);
    Path shots = BrowserScenario.screenshots().resolve("pages");
    try (Stream<Path> files = Files.list(shots)) {
      long pngs = files.filter(p -> p.toString().endsWith(".png")).count();
      // 15 pages × 2 sizes (360, 1280 px) × 2 themes, and the sign-in page in both themes
      assertTrue(pngs >= 62, () -> pngs + " screenshots in " + shots);
    }
  }
}
