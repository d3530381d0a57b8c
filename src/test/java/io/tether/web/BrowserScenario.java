package io.tether.web;

import io.tether.testing.Build;
import io.tether.testing.HeadlessChromium;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One scenario of frontend/e2e/webui.mjs (playwright-core driving Debian's Chromium), run with Node
 * as a child process whose output goes to a file (never inherited: surefire's channel).
 */
final class BrowserScenario {
  /** Browser start plus a dozen page loads on 2 busy cores, with room to spare. */
  private static final long TIMEOUT_SECONDS = 180;

  private BrowserScenario() {}

  static Path frontend() {
    return Build.dir().getParent().resolve("frontend");
  }

  static Path screenshots() {
    return Build.dir().resolve("screenshots");
  }

  /** Runs {@code scenario}; fails with the browser log unless it passed. Returns the log. */
  static String run(String scenario, Map<String, String> env) {
    Path log = Build.workDir("webui-" + scenario).resolve("browser.log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "e2e/webui.mjs", scenario)
            .directory(frontend().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    builder.environment().put("CHROMIUM", HeadlessChromium.BINARY);
    // playwright adds --headless itself
    builder
        .environment()
        .put(
            "CHROMIUM_FLAGS",
            String.join(
                "\n",
                HeadlessChromium.FLAGS.stream().filter(f -> !f.equals("--headless")).toList()));
    builder.environment().put("SCREENSHOTS", screenshots().toString());
    try {
      Process node = builder.start();
      if (!node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        node.destroyForcibly();
        throw new AssertionError(
            "scenario " + scenario + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + read(log));
      }
      String output = read(log);
      if (node.exitValue() != 0) {
        throw new AssertionError("browser scenario " + scenario + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run node (is Node installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
