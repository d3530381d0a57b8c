package io.tether.deploy;

import io.tether.testing.Build;
import io.tether.testing.PlaywrightScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs proxy-terminal.mjs (beside this class) with {@link PlaywrightScript}: Chromium trusts the
 * proxy's certificate by its public key.
 */
final class ProxyBrowser {
  /** Browser start, sign-in and a terminal on 2 busy cores, with room to spare. */
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private ProxyBrowser() {}

  static void signInAndUseATerminal(ReverseProxy proxy, Map<String, String> env) {
    run(proxy, "proxy", env);
  }

  /** Opens a device's web page ({@code ui}) from its portal page, on its own https origin. */
  static void openADevicePage(ReverseProxy proxy, Map<String, String> env) {
    run(proxy, "devicepage", env);
  }

  private static void run(ReverseProxy proxy, String scenario, Map<String, String> env) {
    Path project = Build.dir().getParent();
    Map<String, String> all = new HashMap<>(env);
    all.put("TETHER_URL", proxy.base());
    all.put("FRONTEND_E2E", project.resolve("frontend/e2e").toUri().toString());
    try {
      PlaywrightScript.run(
          List.of(
              project.resolve("src/test/java/io/tether/deploy/proxy-terminal.mjs").toString(),
              scenario),
          all,
          List.of("--ignore-certificate-errors-spki-list=" + proxy.spkiHashes()),
          proxy.dir.resolve("browser-" + scenario + ".log"),
          TIMEOUT);
    } catch (AssertionError e) {
      throw new AssertionError(
          "the browser through " + proxy.name + ": " + e.getMessage() + proxy.logs(), e);
    }
  }
}
