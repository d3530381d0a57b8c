package io.tether.deploy;

import io.tether.testing.Build;
import io.tether.testing.HeadlessChromium;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs proxy-terminal.mjs (beside this class) with Node: playwright-core driving Debian's Chromium,
 * which trusts the proxy's certificate by its public key.
 */
final class ProxyBrowser {
  /** Browser start, sign-in and a terminal on 2 busy cores, with room to spare. */
  private static final long TIMEOUT_SECONDS = 120;

  private ProxyBrowser() {}

  static void signInAndUseATerminal(ReverseProxy proxy, Map<String, String> env) {
    Path project = Build.dir().getParent();
    Path script = project.resolve("src/test/java/io/tether/deploy/proxy-terminal.mjs");
    Path log = proxy.dir.resolve("browser.log");
    List<String> flags = new ArrayList<>(HeadlessChromium.FLAGS);
    flags.remove("--headless"); // playwright adds it
    flags.add("--ignore-certificate-errors-spki-list=" + proxy.spkiHashes());
    ProcessBuilder builder =
        new ProcessBuilder("node", script.toString(), "proxy")
            .directory(project.resolve("frontend").toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    builder.environment().put("TETHER_URL", proxy.base());
    builder.environment().put("FRONTEND_E2E", project.resolve("frontend/e2e").toUri().toString());
    builder.environment().put("CHROMIUM", HeadlessChromium.BINARY);
    builder.environment().put("CHROMIUM_FLAGS", String.join("\n", flags));
    builder.environment().put("SCREENSHOTS", Build.dir().resolve("screenshots").toString());
    try {
      Process node = builder.start();
      if (!node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
        throw new AssertionError(
            "the browser did not finish in " + TIMEOUT_SECONDS + " s:\n" + read(log));
      }
      if (node.exitValue() != 0) {
        throw new AssertionError(
            "the browser through " + proxy.name + " failed:\n" + read(log) + proxy.logs());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run node (is Node installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
