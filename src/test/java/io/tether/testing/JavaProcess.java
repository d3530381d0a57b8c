package io.tether.testing;

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
 * A JVM started from a packaged jar with an explicit -Xmx, its output in a log file (never
 * inherited: surefire's channel must stay clean).
 */
public final class JavaProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private JavaProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static JavaProcess start(
      Path jar, String maxHeap, List<String> args, Map<String, String> env, Path log) {
    return start(jar, maxHeap, List.of(), args, env, log);
  }

  /** {@link #start(Path, String, List, Map, Path)} with JVM options beside -Xmx. */
  public static JavaProcess start(
      Path jar,
      String maxHeap,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Path log) {
    return start(jar, maxHeap, jvmOptions, args, env, log, null);
  }

  /** As above, with standard input read from {@code input} (null: /dev/null). */
  public static JavaProcess start(
      Path jar,
      String maxHeap,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Path log,
      Path input) {
    List<String> command = new ArrayList<>();
    command.add(Build.javaBinary().toString());
    command.add("-Xmx" + maxHeap);
    command.addAll(Build.testJvmOptions());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("TETHER_"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.redirectInput(
        ProcessBuilder.Redirect.from(
            input == null ? new java.io.File("/dev/null") : input.toFile()));
    try {
      Files.createDirectories(log.getParent());
      return new JavaProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a jar to completion and returns its exit code and output. */
  public static Result run(
      Path jar, String maxHeap, List<String> args, Map<String, String> env, Duration timeout) {
    Path log = Build.workDir("run").resolve("output.log");
    try (JavaProcess p = start(jar, maxHeap, args, env, log)) {
      if (!p.waitFor(timeout)) {
        throw new AssertionError(
            jar.getFileName() + " did not exit within " + timeout + ":\n" + p.output());
      }
      return new Result(p.process.exitValue(), p.output());
    }
  }

  public record Result(int exitCode, String output) {}

  public boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int exitCode() {
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  /** How often {@code text} occurs in the output so far. */
  public int count(String text) {
    String log = output();
    int n = 0;
    for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  public Path logFile() {
    return log;
  }

  public void signal(String name) {
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL: no shutdown hooks run, as after a crash or an OOM kill. */
  public void kill9() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
  }

  /** SIGTERM and wait for a graceful exit; SIGKILL when it does not come. */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!waitFor(grace)) {
      kill9();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
