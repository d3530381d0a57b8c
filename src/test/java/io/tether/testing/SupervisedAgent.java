package io.tether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The packaged launcher (deploy/debian/bin/tether-agent) run as systemd's {@code Restart=always}
 * runs it: started again whenever it exits, after {@link #RESTART_DELAY}. Its paths point at the
 * build's agent jar and a state dir of the test's (the launcher's environment overrides), so
 * upgrades, trials and rollbacks run exactly as on a device. All runs write into one log.
 */
public final class SupervisedAgent implements AutoCloseable {
  /** systemd's RestartSec, shortened: the unit waits 5 s. */
  static final Duration RESTART_DELAY = Duration.ofMillis(500);

  private final Path dir;
  private final Path log;
  private final List<String> command;
  private final List<Integer> exits = new CopyOnWriteArrayList<>();
  private final Thread supervisor;
  private final String trialSeconds;
  private volatile Process current;
  private volatile boolean closed;

  private SupervisedAgent(Path dir, List<String> args, int trialSeconds) {
    this.dir = dir;
    this.log = dir.resolve("agent.log");
    this.trialSeconds = Integer.toString(trialSeconds);
    this.command = new ArrayList<>(List.of("sh", launcher().toString()));
    this.command.addAll(args);
    this.supervisor = new Thread(this::supervise, "supervised-agent");
    this.supervisor.setDaemon(true);
  }

  /** The launcher as the package installs it at /usr/bin/tether-agent. */
  public static Path launcher() {
    return Build.dir().getParent().resolve("deploy/debian/bin/tether-agent");
  }

  /**
   * Starts the launcher for {@code portalUrl} with the device {@code token}, offering {@code
   * targets}, plus {@code extra} flags; a new jar gets {@code trialSeconds} to reach the portal.
   */
  public static SupervisedAgent start(
      String name,
      String portalUrl,
      String token,
      List<String> targets,
      List<String> extra,
      int trialSeconds) {
    Path dir = Build.workDir("supervised-" + name);
    try {
      Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--portal",
                  portalUrl,
                  "--token-file",
                  tokenFile.toString(),
                  "--state-dir",
                  dir.resolve("state").toString()));
      for (String t : targets) {
        args.add("--target");
        args.add(t);
      }
      args.addAll(extra);
      SupervisedAgent agent = new SupervisedAgent(dir, args, trialSeconds);
      agent.supervisor.start();
      return agent;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void supervise() {
    while (!closed) {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().keySet().removeIf(k -> k.startsWith("TETHER_"));
      builder.environment().put("TETHER_JAVA", Build.javaBinary().toString());
      builder.environment().put("TETHER_AGENT_JAR", Build.artifact("tether-agent.jar").toString());
      builder.environment().put("TETHER_AGENT_TRIAL_SECONDS", trialSeconds);
      builder.environment().put("TETHER_JAVA_OPTS", "-Xmx64m " + AgentProcess.JVM_OPTIONS);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      try {
        current = builder.start();
        int code = current.waitFor();
        exits.add(code);
        if (!closed) {
          Files.writeString(
              log,
              "[supervisor] exit " + code + ", restarting\n",
              java.nio.file.StandardOpenOption.APPEND);
          Thread.sleep(RESTART_DELAY.toMillis()); // RestartSec: a deliberate pause, as systemd's
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The state dir (with the upgrade's files under agent/). */
  public Path stateDir() {
    return dir.resolve("state");
  }

  /** Exit codes of the runs so far. */
  public List<Integer> exits() {
    return List.copyOf(exits);
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the log holds {@code text} at least {@code times} times. */
  public void awaitLog(String text, int times, Duration timeout) {
    try {
      Await.until(
          "log line '" + text + "' x" + times,
          timeout,
          () -> log().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- launcher and agent log ---\n" + log(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    supervisor.interrupt();
    Process p = current;
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
