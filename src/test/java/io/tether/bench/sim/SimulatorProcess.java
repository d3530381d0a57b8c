package io.tether.bench.sim;

import io.tether.testing.Build;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link DeviceSimulator} in its own JVM, started with the test classpath (an argument file: the
 * classpath may be longer than one command-line argument may be). Its report lines are followed as
 * they come and copied to a log file; {@link #latest()} is the last one, parsed.
 */
public final class SimulatorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private volatile Map<String, Long> latest = Map.of();

  private SimulatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts devices {@code from} (inclusive) to {@code to} (exclusive) of the token file against
   * {@code tunnelUrl}, connecting at most {@code rate} per second.
   */
  public static SimulatorProcess start(
      String name, String tunnelUrl, Path tokens, int from, int to, int rate, Path workDir) {
    return start(name, tunnelUrl, tokens, from, to, rate, workDir, List.of());
  }

  /** The same, with more of {@link DeviceSimulator}'s flags ({@code --ca} for a wss:// URL). */
  public static SimulatorProcess start(
      String name,
      String tunnelUrl,
      Path tokens,
      int from,
      int to,
      int rate,
      Path workDir,
      List<String> extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--url", tunnelUrl,
                "--tokens", tokens.toString(),
                "--from", Integer.toString(from),
                "--to", Integer.toString(to),
                "--rate", Integer.toString(rate),
                "--threads", "2",
                "--sources", "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5"));
    args.addAll(extra);
    return launch(name, DeviceSimulator.class.getName(), "384m", args, workDir);
  }

  /** Runs {@code mainClass} from the test classpath in a JVM of its own. */
  static SimulatorProcess launch(
      String name, String mainClass, String maxHeap, List<String> args, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path argFile = workDir.resolve(name + ".args");
      Files.writeString(
          argFile,
          "-cp \"" + System.getProperty("java.class.path") + "\"\n",
          StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>();
      command.add(Build.javaBinary().toString());
      command.add("-Xmx" + maxHeap);
      command.add("-XX:+UseSerialGC"); // one small heap, no GC threads competing for 2 cores
      command.add("@" + argFile);
      command.add(mainClass);
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      SimulatorProcess sim = new SimulatorProcess(builder.start(), workDir.resolve(name + ".log"));
      sim.follow();
      return sim;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void follow() throws IOException {
    PrintWriter copy = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  copy.println(line);
                  if (line.startsWith("online=")) {
                    latest = parse(line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              } finally {
                copy.close();
              }
            },
            "sim-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static Map<String, Long> parse(String line) {
    Map<String, Long> values = new TreeMap<>();
    for (String pair : line.trim().split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
      }
    }
    return values;
  }

  /** The last report line, parsed (empty before the first). */
  public Map<String, Long> latest() {
    return latest;
  }

  public long value(String key) {
    return latest.getOrDefault(key, 0L);
  }

  /** Waits until the latest report satisfies {@code condition}; false after {@code timeout}. */
  public boolean awaitReport(Predicate<Map<String, Long>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the simulator exited:\n" + output());
      }
      if (condition.test(latest)) {
        return true;
      }
      sleep(Duration.ofMillis(200));
    }
    return false;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return log;
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis()); // polling a child's report lines; there is no event to wait on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
