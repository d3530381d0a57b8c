package io.tether.agent;

import io.tether.protocol.Hello;
import io.tether.protocol.ProtocolVersion;
import io.tether.protocol.TargetKind;
import io.tether.protocol.TunnelCloseCode;
import io.tether.wsclient.FrameSocket;
import io.tether.wsclient.UpgradeRefused;
import io.tether.wsclient.WsConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The agent: keeps one tunnel to the portal, forever. Reconnects with exponential backoff and full
 * jitter, honouring the portal's close codes; logs one line per state change.
 */
public final class Agent implements AutoCloseable {
  /** The version when the jar's manifest names none (classes run from a build directory). */
  static final String FALLBACK_VERSION = "0.1.0";

  /**
   * This agent's version: the {@code Implementation-Version} the build writes into the jar's
   * manifest (so another build of the same classes reports another version), else {@link
   * #FALLBACK_VERSION}.
   */
  public static final String VERSION = version(Agent.class.getPackage());

  static String version(Package pkg) {
    String v = pkg == null ? null : pkg.getImplementationVersion();
    return v == null || v.isBlank() ? FALLBACK_VERSION : v.trim();
  }

  /** After "revoked" the token will not work again: retry rarely. */
  static final Duration REVOKED_WAIT = Duration.ofMinutes(5);

  /** Another installation holds the token: retry slowly, it may be a dying old one. */
  static final Duration DUPLICATE_WAIT = Duration.ofSeconds(60);

  /** The longest Retry-After of a busy portal (503) the agent honours. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final AgentOptions options;
  private final String instanceId;
  private final WsConfig ws;
  private final PrintStream log;
  private final Map<String, TargetSpec> targets;
  private final SerialLines serial;
  private final Backoff backoff = new Backoff(new SplittableRandom());
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(daemon("agent-timer"));
  private final ExecutorService openers = Executors.newCachedThreadPool(daemon("agent-open"));
  private final LinkedBlockingQueue<int[]> ended = new LinkedBlockingQueue<>();
  private final AgentUpgrader upgrader;
  private volatile AgentSession current;
  private volatile String lastReason = "";
  private volatile boolean stopped;
  private volatile boolean restartRequested;

  /**
   * {@code env}: the process environment (the launcher's mark); {@code exit}: ends the process with
   * a code, to be restarted on an upgraded jar.
   */
  Agent(
      AgentOptions options,
      String instanceId,
      WsConfig ws,
      PrintStream log,
      Map<String, String> env,
      java.util.function.IntConsumer exit) {
    this.options = options;
    this.instanceId = instanceId;
    // the portal sends UPGRADE only to agents that say they understand it
    this.ws = ws.withCapabilities(io.tether.protocol.AgentCapabilities.UPGRADE);
    this.log = log;
    this.upgrader = new AgentUpgrader(options, env, this, exit);
    this.targets =
        options.targets().stream().collect(Collectors.toMap(TargetSpec::name, Function.identity()));
    this.serial = new SerialLines(options.targets(), this::targetStatus, this::log);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Runs until {@link #close()}: connect, serve, wait, repeat. */
  void run() throws InterruptedException {
    upgrader.announce();
    while (!stopped) {
      long started = System.nanoTime();
      Duration delay = connectOnce();
      backoff.connectionEnded(Duration.ofNanos(System.nanoTime() - started));
      if (stopped) {
        return;
      }
      log("reconnecting in " + delay.toMillis() / 1000.0 + " s");
      Thread.sleep(delay.toMillis()); // the backoff delay itself is the point here
    }
  }

  private Duration connectOnce() throws InterruptedException {
    log("connecting to " + options.portal());
    AgentSession session = new AgentSession(this, timers, openers);
    try {
      FrameSocket socket =
          FrameSocket.connect(ws, options.portal(), options.token(), session).join();
      current = session;
      session.started(socket, hello());
    } catch (CompletionException e) {
      return refusedDelay(e.getCause());
    }
    int[] closed = ended.take();
    current = null;
    return closeDelay(closed[0], lastReason, session.welcomed());
  }

  private Duration refusedDelay(Throwable cause) {
    if (cause instanceof UpgradeRefused refused) {
      int status = refused.status();
      if (status == 401) {
        log(
            "the portal refused the device token (401): it is wrong, revoked or rotated; retrying in "
                + REVOKED_WAIT.toMinutes()
                + " min");
        return backoff.requested(REVOKED_WAIT);
      }
      if (status == 503) {
        Duration wait = retryAfter(refused.header("Retry-After"));
        log("the portal is busy (503); retrying in about " + wait.toSeconds() + " s");
        return backoff.requested(wait);
      }
      log("the portal refused the connection (HTTP " + status + ")");
    } else {
      log(
          "cannot connect: "
              + (cause.getMessage() == null
                  ? cause.getClass().getSimpleName()
                  : cause.getMessage()));
    }
    return backoff.next();
  }

  /** A Retry-After in seconds, bounded; the usual backoff's first step when absent or odd. */
  static Duration retryAfter(java.util.Optional<String> header) {
    try {
      long seconds = Long.parseLong(header.orElse("").trim());
      return Duration.ofSeconds(Math.max(1, Math.min(seconds, MAX_RETRY_AFTER.toSeconds())));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }

  private Duration closeDelay(int code, String reason, boolean welcomed) {
    String label = TunnelCloseCode.of(code).map(TunnelCloseCode::label).orElse("code " + code);
    log("tunnel closed (" + code + " " + label + (reason.isEmpty() ? "" : ": " + reason) + ")");
    if (code == TunnelCloseCode.REVOKED.code()) {
      return backoff.requested(REVOKED_WAIT);
    }
    if (code == TunnelCloseCode.DUPLICATE_AGENT.code()) {
      return backoff.requested(DUPLICATE_WAIT);
    }
    if (code == TunnelCloseCode.SHUTTING_DOWN.code() && reason.startsWith("retry-after=")) {
      try {
        return backoff.requested(
            Duration.ofSeconds(Long.parseLong(reason.substring("retry-after=".length()).trim())));
      } catch (NumberFormatException e) {
        return backoff.next();
      }
    }
    if (code == TunnelCloseCode.UNSUPPORTED_VERSION.code()) {
      log("protocol mismatch: " + reason);
    }
    return backoff.next();
  }

  private Hello hello() {
    List<Hello.Target> offered =
        options.targets().stream()
            .map(
                t ->
                    new Hello.Target(
                        t.name(),
                        t.kind() == TargetSpec.Kind.SERIAL ? TargetKind.SERIAL : TargetKind.TCP,
                        t.description()))
            .toList();
    return new Hello(ProtocolVersion.CURRENT, VERSION, instanceId, offered);
  }

  void welcomed(AgentSession session) {
    log("online: tunnel to " + options.portal() + " is up (" + targets.size() + " target(s))");
    upgrader.online();
    for (TargetSpec t : options.targets()) {
      if (t.kind() == TargetSpec.Kind.SERIAL && serial.status(t.name()) != SerialLine.Status.OK) {
        session.targetStatus(t.name(), serial.status(t.name()));
      }
    }
  }

  void sessionEnded(AgentSession session, int code, String reason) {
    lastReason = reason == null ? "" : reason;
    ended.add(new int[] {code});
  }

  /** Stops reconnecting: the process ends to be restarted on an upgraded jar. */
  void restartForUpgrade() {
    restartRequested = true;
    stopped = true;
  }

  boolean restartRequested() {
    return restartRequested;
  }

  AgentUpgrader upgrader() {
    return upgrader;
  }

  TargetSpec target(String name) {
    return targets.get(name);
  }

  SerialLines serial() {
    return serial;
  }

  private void targetStatus(String target, SerialLine.Status status) {
    AgentSession s = current;
    if (s != null) {
      s.targetStatus(target, status);
    }
  }

  void log(String line) {
    log.println(stamped(line));
  }

  /** A log line as the agent writes every one: local time, then what happened. */
  static String stamped(String line) {
    return TIME.format(LocalDateTime.now()) + " tether-agent: " + line;
  }

  @Override
  public void close() {
    stopped = true;
    upgrader.close();
    serial.close();
    timers.shutdownNow();
    openers.shutdownNow();
    try {
      timers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
