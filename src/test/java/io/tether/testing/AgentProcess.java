package io.tether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code target/tether-agent.jar} as a process with -Xmx64m (the Raspberry Pi budget): its token in
 * a file, its own state dir (so its own instance id), its output in a log the test can wait on.
 */
public final class AgentProcess implements AutoCloseable {
  /** The heap the agent must live in on a small device. */
  public static final String MAX_HEAP = "64m";

  /** Log line of a welcomed tunnel (Agent.welcomed). */
  public static final String ONLINE = "online: tunnel to ";

  /** Log line of an agent that enrolled its device and kept the device token (Enroller). */
  public static final String ENROLLED = "device token kept in ";

  /**
   * The version the packaged agent reports: the jar manifest's {@code Implementation-Version} (the
   * project's version), which is what the portal stores and shows.
   */
  public static String jarVersion() {
    return jarVersion(Build.artifact("tether-agent.jar"));
  }

  /** The {@code Implementation-Version} in the manifest of the agent jar {@code jar}. */
  public static String jarVersion(Path jar) {
    try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
      return f.getManifest()
          .getMainAttributes()
          .getValue(java.util.jar.Attributes.Name.IMPLEMENTATION_VERSION);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final Path dir;
  private final List<String> args;
  private final Path input;
  private int starts;
  private JavaProcess process;

  private AgentProcess(Path dir, List<String> args, Path input) {
    this.dir = dir;
    this.args = args;
    this.input = input;
  }

  /**
   * An agent that enrolls its device as {@code deviceName} with {@code enrollToken}, read from a
   * file, or from standard input when {@code onStdin} (never on the command line); its own state
   * dir keeps the device token it gets.
   */
  public static AgentProcess enrolling(
      String name,
      String portalUrl,
      String enrollToken,
      String deviceName,
      List<String> targets,
      boolean onStdin) {
    Path dir = Build.workDir("agent-" + name);
    Path tokenFile = writeLine(dir.resolve("enroll-token"), enrollToken);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--portal",
                portalUrl,
                "--enroll-token-file",
                onStdin ? "-" : tokenFile.toString(),
                "--name",
                deviceName,
                "--state-dir",
                dir.resolve("state").toString()));
    for (String t : targets) {
      args.add("--target");
      args.add(t);
    }
    return new AgentProcess(dir, args, onStdin ? tokenFile : null);
  }

  /** The file the enrolling agent was given its enrollment token in (to delete or rewrite it). */
  public Path enrollTokenFile() {
    return dir.resolve("enroll-token");
  }

  /**
   * An agent for {@code portalUrl} (ws:// or wss://…/tunnel) with {@code token}, offering {@code
   * targets} (NAME=serial:… or NAME=tcp:…), plus {@code extra} flags (--proxy, --ca, --state-dir).
   * Without --state-dir in {@code extra}, its state dir is a fresh one under its work dir.
   */
  public static AgentProcess create(
      String name, String portalUrl, String token, List<String> targets, List<String> extra) {
    Path dir = Build.workDir("agent-" + name);
    Path tokenFile = writeLine(dir.resolve("token"), token);
    List<String> args =
        new ArrayList<>(List.of("--portal", portalUrl, "--token-file", tokenFile.toString()));
    for (String t : targets) {
      args.add("--target");
      args.add(t);
    }
    if (!extra.contains("--state-dir")) {
      args.add("--state-dir");
      args.add(dir.resolve("state").toString());
    }
    args.addAll(extra);
    return new AgentProcess(dir, args, null);
  }

  public static AgentProcess start(
      String name, String portalUrl, String token, List<String> targets, List<String> extra) {
    return create(name, portalUrl, token, targets, extra).start();
  }

  /** Starts (or restarts, on the same token file and state dir) the agent JVM. */
  public AgentProcess start() {
    starts++;
    process =
        JavaProcess.start(
            Build.artifact("tether-agent.jar"),
            MAX_HEAP,
            jvmOptions(),
            args,
            Map.of(),
            dir.resolve("agent-" + starts + ".log"),
            input);
    return this;
  }

  /**
   * The JVM options the packaged agent runs with beside -Xmx (deploy/debian/bin/tether-agent,
   * README.md): the serial collector and a 16 MiB initial heap keep the agent's RSS under bulk
   * traffic within a quarter of its idle RSS (G1 with the whole 64 MiB heap committed grew it by
   * ~80 %; docs/benchmarks.md), and the C library gives back every 5 s what the JIT compilers'
   * arenas freed (bulk traffic compiles the hot path once; TLS: +32 % → +16–22 %). The trim option
   * came with Java 17.0.9: older runtimes ignore it rather than refuse to start. A bench may try
   * others with {@code -Dbench.agent.jvm-options="..."}.
   */
  public static final String JVM_OPTIONS =
      "-XX:+UseSerialGC -Xms16m -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000";

  private static List<String> jvmOptions() {
    String options = System.getProperty("bench.agent.jvm-options", JVM_OPTIONS);
    return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
  }

  /** Replaces the token the next start reads (the running agent keeps the one it read). */
  public void writeToken(String token) {
    writeLine(dir.resolve("token"), token);
  }

  private static Path writeLine(Path file, String line) {
    try {
      return Files.writeString(file, line + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The state dir this agent was given by default (its instance id lives there): another process
   * started with {@code --state-dir} set to it is the same installation.
   */
  public String defaultStateDir() {
    return dir.resolve("state").toString();
  }

  /** The output of the current run. */
  public String log() {
    return process.output();
  }

  /** How often {@code text} occurs in the output of the current run. */
  public int count(String text) {
    return process.count(text);
  }

  /** Waits until the current run has logged {@code text} at least {@code times} times. */
  public void awaitLog(String text, int times, Duration timeout) {
    try {
      Await.until(
          "agent log line '" + text + "' x" + times,
          timeout,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError(
                  "the agent exited with " + process.exitCode() + ":\n" + log());
            }
            return count(text) >= times;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- agent log ---\n" + log(), e);
    }
  }

  public void awaitLog(String text, Duration timeout) {
    awaitLog(text, 1, timeout);
  }

  /** Waits for the agent's first "online" line of this run. */
  public AgentProcess awaitOnline(Duration timeout) {
    awaitLog(ONLINE, timeout);
    return this;
  }

  /**
   * Live instances of {@code className} in the agent's heap, from {@code jcmd PID
   * GC.class_histogram} (which runs a full GC first): what the agent retains, not what it made.
   */
  public long liveInstances(String className) {
    Path jcmd = Build.javaBinary().resolveSibling("jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("jcmd failed:\n" + out);
      }
      // "   7:            12            384  io.tether.agent.AgentSession"
      return out.lines()
          .map(String::trim)
          .map(l -> l.split("\\s+"))
          .filter(f -> f.length >= 4 && f[3].equals(className))
          .mapToLong(f -> Long.parseLong(f[1]))
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public JavaProcess process() {
    return process;
  }

  public Path dir() {
    return dir;
  }

  /** SIGSTOP: the JVM freezes with its sockets open, as a hung device would. */
  public void freeze() {
    process.signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() {
    process.signal("CONT");
  }

  public void kill9() {
    process.kill9();
  }

  @Override
  public void close() {
    if (process != null) {
      process.signal("CONT"); // a frozen JVM cannot run its shutdown hook
      process.stop(Duration.ofSeconds(10));
    }
  }
}
