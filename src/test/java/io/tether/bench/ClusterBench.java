package io.tether.bench;

import io.tether.testing.ByteSource;
import io.tether.testing.EchoServer;
import io.tether.testing.PortalApi;
import io.tether.testing.PortalProcess;
import io.tether.testing.Started;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * P1, P3 and P4 across nodes (issue 15): two packaged nodes on one PostgreSQL, the device's agent
 * on node B; each figure through a tether-cli forward on node B (the device's own node) and through
 * one on node A (which relays to B), in the same run, the two paths alternating round by round
 * ({@link NodePaths#alternate}) so that the machine's drift falls on both. P1 and P3 as {@link
 * ThroughputBench} and {@link EchoLatencyBench} measure them, P4 as {@link SessionOpenBench}: the
 * channel open (the CLI's forward socket, and so its relay, is up already) and the terminal open (a
 * new socket: node A makes an assertion and dials B's relay listener). Plain HTTP, loopback node
 * URLs (no TLS between the nodes), production timers.
 *
 * <p>Run alone: {@code ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile
 * failsafe:integration-test@bench -Dit.test=ClusterBench} (after a package).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBench {
  private static final long SIZE = 512L << 20;

  /** Per download: 512 MiB takes 3–6 s here; the bound keeps a loaded run within minutes. */
  private static final Duration DOWNLOAD_TIME = Duration.ofSeconds(10);

  private static final Duration DOWNLOAD_WARM_UP = Duration.ofSeconds(5);
  private static final int DOWNLOADS = 3;

  /** Echo warm-up per path: 3 × 5,000 round trips, the 15,000 of EchoLatencyBench (see there). */
  private static final int ECHO_WARM_UP_ROUNDS = 3;

  private static final int ECHO_WARM_UP = 5_000;

  /** 10 rounds of 500 echoes per path: 5,000 samples each, as EchoLatencyBench. */
  private static final int ECHO_ROUNDS = 10;

  private static final int ECHOES = 500;
  private static final Duration ECHO_ROUND_TIME = Duration.ofSeconds(2);

  /** 8 rounds of 25 opens per path after 20: the 200 after 20 of SessionOpenBench. */
  private static final int OPEN_ROUNDS = 8;

  private static final int OPENS = 25;
  private static final int OPEN_WARM_UP = 20;
  private static final Duration OPEN_ROUND_TIME = Duration.ofMillis(2500);

  /** Everything the bench started, closed after it (last started first). */
  private static final Started started = new Started();

  private static ByteSource source;
  private static EchoServer echo;
  private static GreetingServer greeter;
  private static ClusterRig cluster;
  private static Stats directOpen;

  @BeforeAll
  static void start() throws Exception {
    source = started.add(Pattern.server(SIZE));
    echo = started.add(EchoServer.start());
    greeter = started.add(GreetingServer.start());
    cluster = new ClusterRig(started, "bench-cluster", targets());
    GreetingServer.Open direct = () -> SessionOpenBench.connectAndRead(greeter.port());
    greeter.time(direct, OPEN_WARM_UP, OPEN_ROUND_TIME);
    directOpen = Stats.of(greeter.time(direct, OPENS * OPEN_ROUNDS, OPEN_ROUND_TIME));
    BenchReport.note(SessionOpenBench.LABEL, "direct connect (cluster run): " + directOpen);
  }

  @AfterAll
  static void stop() {
    started.close();
  }

  @Test
  @Order(1)
  void throughputSameNodeAndRelayed() throws Exception {
    throughput(cluster, "");
  }

  @Test
  @Order(2)
  void keystrokeEchoSameNodeAndRelayed() throws Exception {
    keystrokeEcho(cluster, "");
  }

  @Test
  @Order(3)
  void channelOpenSameNodeAndRelayed() throws Exception {
    channelOpens(cluster, "");
  }

  @Test
  @Order(4)
  void terminalOpenSameNodeAndRelayed() throws Exception {
    terminalOpens(cluster, "");
  }

  /**
   * P1, P3 and P4 again on a second pair of nodes whose relay runs over TLS (node B's listener on
   * {@code https}, node A trusting its certificate as the cluster's CA), same node and relayed
   * alternating as above: what TLS between machines adds to a relayed stream, keystroke and open.
   */
  @Test
  @Order(5)
  void sameNodeAndRelayedOverTls() throws Exception {
    try (Started tlsPair = new Started()) {
      ClusterRig rig = new ClusterRig(tlsPair, "bench-cluster-tls", targets(), true);
      throughput(rig, TLS_RELAY);
      keystrokeEcho(rig, TLS_RELAY);
      channelOpens(rig, TLS_RELAY);
      terminalOpens(rig, TLS_RELAY);
    }
  }

  /** What the rows of the TLS pair add to their path's name. */
  private static final String TLS_RELAY = ", TLS relay";

  private static List<String> targets() {
    return List.of(
        "bulk=tcp:127.0.0.1:" + source.port(),
        "echo=tcp:127.0.0.1:" + echo.port(),
        "greet=tcp:127.0.0.1:" + greeter.port());
  }

  private static void throughput(ClusterRig rig, String suffix) throws Exception {
    double direct =
        ThroughputBench.best("direct loopback TCP (cluster run" + suffix + ")", source.port());
    Map<NodePaths, List<PatternSink.Result>> runs = NodePaths.each(p -> new ArrayList<>());
    try (NodePaths.Forwards cli = new NodePaths.Forwards(rig, "bulk")) {
      NodePaths.alternate(
          1,
          (path, round) -> download(path + suffix + " warm-up", cli.port(path), DOWNLOAD_WARM_UP));
      NodePaths.alternate(
          DOWNLOADS,
          (path, round) ->
              runs.get(path).add(download(path + suffix, cli.port(path), DOWNLOAD_TIME)));
    }
    Map<NodePaths, Double> best =
        NodePaths.each(p -> ThroughputBench.bestOf(p + suffix, runs.get(p)));
    double same = best.get(NodePaths.SAME_NODE);
    for (NodePaths path : NodePaths.values()) {
      double mbps = best.get(path);
      BenchReport.figure(
          ThroughputBench.LABEL,
          "throughput, 1 channel device→user, " + path + suffix,
          String.format("%.0f MB/s = %.2f of direct", mbps, mbps / direct)
              + (path == NodePaths.RELAYED
                  ? String.format(", %.2f of the same node", mbps / same)
                  : ""),
          String.format("direct %.0f MB/s", direct)
              + (path == NodePaths.RELAYED ? String.format("; same node %.0f MB/s", same) : ""),
          String.format("≥ %.2f of direct (as one node)", ThroughputBench.GOAL),
          BenchReport.verdict(mbps / direct >= ThroughputBench.GOAL));
    }
  }

  private static void keystrokeEcho(ClusterRig rig, String suffix) throws Exception {
    Stats direct =
        EchoLatencyBench.measure("direct, idle (cluster run" + suffix + ")", echo.port());
    NodePaths.Samples samples = new NodePaths.Samples();
    try (NodePaths.Forwards cli = new NodePaths.Forwards(rig, "echo");
        EchoProbe viaB = new EchoProbe(cli.port(NodePaths.SAME_NODE));
        EchoProbe viaA = new EchoProbe(cli.port(NodePaths.RELAYED))) {
      Function<NodePaths, EchoProbe> probe = p -> p == NodePaths.SAME_NODE ? viaB : viaA;
      NodePaths.alternate(
          ECHO_WARM_UP_ROUNDS,
          (path, round) ->
              probe.apply(path).roundTrips(ECHO_WARM_UP, ECHO_ROUND_TIME.multipliedBy(3)));
      NodePaths.alternate(
          ECHO_ROUNDS,
          (path, round) ->
              samples.add(path, probe.apply(path).roundTrips(ECHOES, ECHO_ROUND_TIME)));
    }
    Map<NodePaths, Stats> echoes = samples.stats(EchoLatencyBench.LABEL);
    for (NodePaths path : NodePaths.values()) {
      Stats s = echoes.get(path);
      long added = s.p99() - direct.p99();
      BenchReport.figure(
          EchoLatencyBench.LABEL,
          "keystroke echo (1 byte), idle tunnel, " + path + suffix,
          s + "; adds " + Stats.ms(added) + " at p99" + overSameNode(path, s, echoes),
          "direct " + direct + sameNode(path, echoes),
          "≤ 1 ms added at p99 (as one node)",
          BenchReport.verdict(added <= EchoLatencyBench.GOAL_ADDED_P99));
    }
  }

  private static void channelOpens(ClusterRig rig, String suffix) throws Exception {
    try (NodePaths.Forwards cli = new NodePaths.Forwards(rig, "greet")) {
      reportOpens(
          "channel open (new connection to a CLI forward) → first device byte",
          suffix,
          alternateOpens(path -> () -> SessionOpenBench.connectAndRead(cli.port(path))));
    }
  }

  private static void terminalOpens(ClusterRig rig, String suffix) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Map<NodePaths, String> cookies =
        NodePaths.each(
            p ->
                PortalApi.signIn(node(rig, p).baseUrl(), "admin", PortalProcess.ADMIN_PASSWORD)
                    .cookie());
    reportOpens(
        "terminal session open (new WebSocket) → first device byte",
        suffix,
        alternateOpens(
            path -> {
              String base = node(rig, path).baseUrl();
              URI uri =
                  URI.create(
                      base.replaceFirst("^http", "ws")
                          + "/api/devices/"
                          + rig.deviceId()
                          + "/terminal?target=greet");
              return () -> SessionOpenBench.terminalOpen(http, uri, base, cookies.get(path));
            }));
  }

  private static PatternSink.Result download(String path, int port, Duration maxTime)
      throws Exception {
    return ThroughputBench.check(path, PatternSink.download(port, SIZE, maxTime));
  }

  /** A warm-up per path, then {@link #OPENS} opens per path and round, alternating. */
  private static Map<NodePaths, Stats> alternateOpens(Function<NodePaths, GreetingServer.Open> open)
      throws Exception {
    NodePaths.Samples samples = new NodePaths.Samples();
    NodePaths.alternate(
        1, (path, round) -> greeter.time(open.apply(path), OPEN_WARM_UP, OPEN_ROUND_TIME));
    NodePaths.alternate(
        OPEN_ROUNDS,
        (path, round) -> samples.add(path, greeter.time(open.apply(path), OPENS, OPEN_ROUND_TIME)));
    return samples.stats(SessionOpenBench.LABEL);
  }

  private static void reportOpens(String what, String suffix, Map<NodePaths, Stats> open) {
    for (NodePaths path : NodePaths.values()) {
      Stats s = open.get(path);
      BenchReport.figure(
          SessionOpenBench.LABEL,
          what + ", " + path + suffix,
          s + overSameNode(path, s, open),
          "direct connect → first byte " + directOpen + sameNode(path, open),
          "p99 ≤ 50 ms (as one node)",
          BenchReport.verdict(s.p99() <= SessionOpenBench.GOAL_P99));
    }
  }

  /** For the relayed row: what the relay adds to the same node's p50 and p99. */
  private static String overSameNode(NodePaths path, Stats s, Map<NodePaths, Stats> all) {
    if (path != NodePaths.RELAYED) {
      return "";
    }
    Stats same = all.get(NodePaths.SAME_NODE);
    return "; over the same node: p50 "
        + Stats.ms(s.p50() - same.p50())
        + ", p99 "
        + Stats.ms(s.p99() - same.p99());
  }

  /** For the relayed row's baseline: the same node's figures of the same run. */
  private static String sameNode(NodePaths path, Map<NodePaths, Stats> all) {
    return path == NodePaths.RELAYED ? "; same node " + all.get(NodePaths.SAME_NODE) : "";
  }

  private static PortalProcess node(ClusterRig rig, NodePaths path) {
    return path == NodePaths.SAME_NODE ? rig.nodeB() : rig.nodeA();
  }
}
