package io.tether.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Node script run from frontend/ (where playwright-core is installed) that drives Debian's
 * Chromium: the one way the browser tests launch it. Its output goes to a file, never inherited
 * (surefire's channel).
 */
public final class PlaywrightScript {
  private PlaywrightScript() {}

  public static Path frontend() {
    return Build.dir().getParent().resolve("frontend");
  }

  public static Path screenshots() {
    return Build.dir().resolve("screenshots");
  }

  /**
   * {@code node ARGS} in frontend/ with {@code env} and the browser's: CHROMIUM, CHROMIUM_FLAGS
   * (ours plus {@code extraFlags}; playwright adds --headless itself) and SCREENSHOTS. Standard
   * error goes with standard output.
   */
  public static ProcessBuilder command(
      List<String> args, Map<String, String> env, List<String> extraFlags) {
    List<String> command = new ArrayList<>(List.of("node"));
    command.addAll(args);
    List<String> flags = new ArrayList<>(HeadlessChromium.FLAGS);
    flags.remove("--headless");
    flags.addAll(extraFlags);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(frontend().toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("CHROMIUM", HeadlessChromium.BINARY);
    builder.environment().put("CHROMIUM_FLAGS", String.join("\n", flags));
    builder.environment().put("SCREENSHOTS", screenshots().toString());
    return builder;
  }

  /**
   * Runs {@code node ARGS} (see {@link #command}) with its output in {@code log}; fails with the
   * log unless it exits 0 within {@code timeout}. Returns the log.
   */
  public static String run(
      List<String> args,
      Map<String, String> env,
      List<String> extraFlags,
      Path log,
      Duration timeout) {
    ProcessBuilder builder =
        command(args, env, extraFlags)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Files.createDirectories(log.getParent());
      Process node = builder.start();
      if (!node.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
        throw new AssertionError(
            "node " + args + " did not finish in " + timeout + ":\n" + read(log));
      }
      String output = read(log);
      if (node.exitValue() != 0) {
        throw new AssertionError("node " + args + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run node (is Node installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
