package io.tether.bench;

import io.tether.testing.Build;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The figures of a bench run: each one printed as a {@code [P1] …} line and appended as a row of a
 * markdown table to {@code target/bench/results.md}. The first figure of a JVM (one {@code -Pbench}
 * run) starts a new section headed with the date, commit, cores, load and Java version, so runs
 * accumulate in the file and each reads as its own table.
 *
 * <pre>
 * BenchReport.figure("P1", "throughput, 1 channel, plain", "412 MB/s", "direct 2900 MB/s",
 *     "≥ 0.20 of direct", BenchReport.verdict(ratio >= 0.20));
 * BenchReport.note("P1", "best of 3: 398, 405, 412 MB/s");   // stdout only
 * </pre>
 */
public final class BenchReport {
  private static boolean headerWritten;

  private BenchReport() {}

  /** The results file of this build. */
  public static Path file() {
    return Build.dir().resolve("bench/results.md");
  }

  /** "meets" or "misses": the verdict column for a goal. */
  public static String verdict(boolean meetsGoal) {
    return meetsGoal ? "meets" : "misses";
  }

  /**
   * One figure: {@code label} (P1…P6), what was measured, the value, the baseline(s) measured in
   * the same run, the goal, and the verdict ({@link #verdict(boolean)}, or "info" without a goal).
   */
  public static synchronized void figure(
      String label, String what, String value, String baseline, String goal, String verdict) {
    System.out.printf(
        "[%s] %s: %s | baseline %s | goal %s | %s%n", label, what, value, baseline, goal, verdict);
    if (!headerWritten) {
      append(header());
      headerWritten = true;
    }
    append(row(label, what, value, baseline, goal, verdict));
  }

  /** A detail for the log only (samples, ratios, conditions): {@code [label] text} on stdout. */
  public static void note(String label, String text) {
    System.out.printf("[%s] %s%n", label, text);
  }

  private static String row(String... cells) {
    StringBuilder line = new StringBuilder("|");
    for (String cell : cells) {
      line.append(' ').append(cell.replace("|", "\\|").replace('\n', ' ')).append(" |");
    }
    return line.append('\n').toString();
  }

  private static String header() {
    return "\n## Run "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + "\n\n- commit: `"
        + command("git", "rev-parse", "--short", "HEAD")
        + "`"
        + (command("git", "status", "--porcelain", "--untracked-files=no").isEmpty()
            ? ""
            : " (with uncommitted changes)")
        + "\n- cores: "
        + Runtime.getRuntime().availableProcessors()
        + ", load average at start: "
        + loadAverage()
        + "\n- java: "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + "\n\n| Figure | What | Value | Baseline (same run) | Goal | Verdict |\n"
        + "|---|---|---|---|---|---|\n";
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The first line a short command prints, or "unknown". */
  private static String command(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return "unknown";
      }
      return out.lines().findFirst().orElse("");
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static void append(String text) {
    try {
      Files.createDirectories(file().getParent());
      Files.writeString(
          file(),
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
