package io.tether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, with a fresh profile and no background networking. The browser ITs
 * run its headless build ({@code chromium-headless-shell}, what Playwright runs headless by
 * default): the same Blink and V8 without the full browser around them, measured at a fifth less
 * CPU than {@code chromium --headless} across the browser ITs, which share two cores.
 */
public final class HeadlessChromium {
  public static final String BINARY = "/usr/bin/chromium-headless-shell";

  /** The flags that keep Chromium off the (closed) network and working as root. */
  public static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync");

  private HeadlessChromium() {}

  /**
   * Loads {@code url} and returns the DOM after scripts ran, including their first fetches (the
   * virtual time budget lets pending network and timers settle before the dump).
   */
  public static String dumpDom(String url) {
    return run(List.of("--virtual-time-budget=10000", "--dump-dom", url), null);
  }

  /** Loads {@code url} and saves a PNG screenshot. */
  public static void screenshot(String url, Path png, int width, int height) {
    run(List.of("--screenshot=" + png, "--window-size=" + width + "," + height, url), png);
  }

  private static String run(List<String> args, Path expectedFile) {
    try {
      Path profile = Build.workDir("chromium-profile");
      Path out = profile.resolveSibling(profile.getFileName() + ".out");
      List<String> command = new ArrayList<>();
      command.add(BINARY);
      command.addAll(FLAGS);
      command.add("--user-data-dir=" + profile);
      command.addAll(args);
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not finish within 60 s");
      }
      if (expectedFile != null && !Files.exists(expectedFile)) {
        throw new AssertionError("chromium wrote no " + expectedFile);
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + BINARY + " (apt-get install chromium)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
