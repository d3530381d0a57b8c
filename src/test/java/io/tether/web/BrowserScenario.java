package io.tether.web;

import io.tether.testing.Build;
import io.tether.testing.PlaywrightScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One scenario of frontend/e2e/webui.mjs, run by {@link PlaywrightScript}. */
final class BrowserScenario {
  /** Browser start plus a dozen page loads on 2 busy cores, with room to spare. */
  static final Duration TIMEOUT = Duration.ofSeconds(180);

  private BrowserScenario() {}

  static Path frontend() {
    return PlaywrightScript.frontend();
  }

  static Path screenshots() {
    return PlaywrightScript.screenshots();
  }

  /** Runs {@code scenario}; fails with the browser log unless it passed. Returns the log. */
  static String run(String scenario, Map<String, String> env) {
    Path log = Build.workDir("webui-" + scenario).resolve("browser.log");
    return PlaywrightScript.run(List.of("e2e/webui.mjs", scenario), env, List.of(), log, TIMEOUT);
  }
}
