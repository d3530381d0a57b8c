package io.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.protocol.ProtocolLimits;
import io.tether.testing.AgentProcess;
import io.tether.testing.ByteSource;
import io.tether.testing.CliProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * P1: throughput of one channel, device → user: a device-side TCP target writes a checked byte
 * stream → tether-agent → portal → tether-cli forward → a sink reading as fast as it can. Beside
 * it, measured in the same run: the sink reading the target directly (loopback TCP, Java to Java),
 * through a chain of three socat relays (as many hops as CLI, portal and agent), and iperf3 when it
 * is installed. Plain HTTP and TLS portal; then the upload direction (user → device) through a
 * plain portal, with its own same-direction baselines.
 *
 * <p>Each figure is the best of 3 runs of 512 MiB or 20 s (whichever comes first) after a warm-up
 * run (512 MiB or 5 s). Time-bounded runs count what arrived in the time; every byte is checked.
 * Run alone: {@code ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile
 * failsafe:integration-test@bench -Dit.test=ThroughputBench} (after a package).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThroughputBench {
  static final String LABEL = "P1";
  private static final long SIZE = 512L << 20;
  private static final Duration MAX_TIME = Duration.ofSeconds(20);

  /** Enough to JIT-compile the byte path of every process; bounded so it costs little. */
  private static final Duration WARM_UP = Duration.ofSeconds(5);

  private static final int RUNS = Integer.getInteger("bench.p1.runs", 3);

  /** One run over a long link: long enough for the windows to have grown, short for the bench. */
  private static final Duration LONG_LINK_TIME = Duration.ofSeconds(10);

  static final double GOAL = 0.20;

  private static ByteSource source;
  private static double direct;
  private static double socat;
  private static String baselines;

  @BeforeAll
  static void measureBaselines() throws Exception {
    source = Pattern.server(SIZE);
    direct = best("direct loopback TCP", source.port());
    try (SocatChain chain = SocatChain.to(source.port(), 3)) {
      socat = best("socat relay x3", chain.port());
    }
    baselines = String.format("direct %.0f MB/s, socat x3 %.0f MB/s", direct, socat);
    double iperf = Iperf3.megabytesPerSecond();
    if (iperf > 0) {
      baselines += String.format(", iperf3 %.0f MB/s", iperf);
    }
  }

  @AfterAll
  static void stopSource() {
    if (source != null) {
      source.close();
    }
  }

  @Test
  @Order(1)
  void oneChannelThroughAPlainPortal() throws Exception {
    measureThroughPortal(false);
  }

  @Test
  @Order(2)
  void oneChannelThroughATlsPortal() throws Exception {
    measureThroughPortal(true);
  }

  /**
   * The other direction, user → device (a firmware upload through a link or a forward): the user
   * writes the stream into the CLI forward, the device-side target reads and checks it. Baselines
   * of the same direction in the same run; plain portal only.
   */
  @Test
  @Order(3)
  void oneChannelUploadThroughAPlainPortal() throws Exception {
    try (PatternReceiver receiver = PatternReceiver.start()) {
      double directUp = bestUpload("upload direct loopback TCP", receiver, receiver.port());
      double socatUp;
      try (SocatChain chain = SocatChain.to(receiver.port(), 3)) {
        socatUp = bestUpload("upload socat relay x3", receiver, chain.port());
      }
      try (BenchRig rig =
          BenchRig.start("bench-upload", false, List.of("sink=tcp:127.0.0.1:" + receiver.port()))) {
        CliProcess cli = rig.forward("sink");
        double best = bestUpload("upload portal plain", receiver, cli.port());
        BenchReport.figure(
            LABEL,
            "throughput, 1 channel user→device, plain portal",
            String.format(
                "%.0f MB/s = %.2f of direct, %.2f of socat x3",
                best, best / directUp, best / socatUp),
            String.format(
                "direct %.0f MB/s, socat x3 %.0f MB/s (same direction)", directUp, socatUp),
            String.format("≥ %.2f of direct", GOAL),
            BenchReport.verdict(best / directUp >= GOAL));
      }
    }
  }

  /**
   * Device → user over a long link: {@code roundTripMillis} added between the agent and the portal
   * (a delaying relay). Credit granted on delivery end to end moves one window per round trip; the
   * receivers' windows grow on such a link. Best of {@link #RUNS} runs of {@link #LONG_LINK_TIME}
   * after a warm-up of the same length (the windows grow during it, as on any long transfer).
   */
  @ParameterizedTest(name = "round trip {0} ms")
  @ValueSource(ints = {50, 100})
  @Order(4)
  void oneChannelOverALongLink(int roundTripMillis) throws Exception {
    try (BenchRig rig =
        BenchRig.start(
            "bench-rtt" + roundTripMillis,
            false,
            List.of("bulk=tcp:127.0.0.1:" + source.port()),
            Duration.ofMillis(roundTripMillis))) {
      CliProcess cli = rig.forward("bulk");
      String path = "portal plain, +" + roundTripMillis + " ms round trip";
      check(path + " warm-up", PatternSink.download(cli.port(), SIZE, LONG_LINK_TIME));
      List<PatternSink.Result> runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        runs.add(check(path, PatternSink.download(cli.port(), SIZE, LONG_LINK_TIME)));
      }
      double best = bestOf(path, runs);
      String windows =
          cli.log()
              .lines()
              .filter(l -> l.contains("receive window grew to"))
              .map(l -> l.replaceAll(".*grew to ([0-9]+ KiB).*", "$1"))
              .distinct()
              .collect(Collectors.joining(", "));
      BenchReport.figure(
          LABEL,
          "throughput, 1 channel device→user, plain portal, +" + roundTripMillis + " ms round trip",
          String.format(
              "%.1f MB/s; the CLI's window grew to %s",
              best, windows.isEmpty() ? "(did not grow)" : windows),
          String.format(
              "one 256 KiB window per round trip: %.1f MB/s",
              ProtocolLimits.DEFAULT_WINDOW / 1e6 / (roundTripMillis / 1000.0)),
          roundTripMillis >= 100 ? "≥ 20 MB/s at 100 ms" : "(information)",
          roundTripMillis >= 100 ? BenchReport.verdict(best >= 20) : "—");
    }
  }

  /**
   * Cold start: the first {@link #COLD} through a {@code tether-cli forward} started just then,
   * with the portal and the agent already warm (as in real use: the CLI is what a user starts),
   * against the steady figure through the same CLI; beside it the all-cold figure, a new portal,
   * agent and CLI carrying their first bytes.
   */
  @Test
  @Order(5)
  void theFirstSecondsThroughAFreshlyStartedCli() throws Exception {
    try (BenchRig rig =
        BenchRig.start("bench-cold", false, List.of("bulk=tcp:127.0.0.1:" + source.port()))) {
      PatternSink.Result allCold;
      try (CliProcess first = rig.forward("bulk")) {
        allCold = check("all cold", PatternSink.download(first.port(), SIZE, COLD));
      }
      CliProcess cli = rig.forward("bulk");
      PatternSink.Result cold = check("fresh CLI", PatternSink.download(cli.port(), SIZE, COLD));
      double steady = best("steady, the same CLI", cli.port());
      double ratio = cold.megabytesPerSecond() / steady;
      BenchReport.figure(
          LABEL,
          "the first 5 s through a freshly started CLI, portal and agent warm, plain",
          String.format(
              "%.0f MB/s = %.2f of steady; all cold (new portal, agent and CLI): %.0f MB/s = %.2f",
              cold.megabytesPerSecond(),
              ratio,
              allCold.megabytesPerSecond(),
              allCold.megabytesPerSecond() / steady),
          String.format("steady through the same CLI %.0f MB/s", steady),
          "≥ 0.50 of steady",
          BenchReport.verdict(ratio >= 0.5));
    }
  }

  /** How long a cold run lasts: what a user waits for before judging a transfer. */
  private static final Duration COLD = Duration.ofSeconds(5);

  private static long jarKib(String name) throws IOException {
    return java.nio.file.Files.size(io.tether.testing.Build.artifact(name)) >> 10;
  }

  /** {@link #best} for uploads: a warm-up, then the best of {@link #RUNS}, in MB/s. */
  private static double bestUpload(String path, PatternReceiver receiver, int port)
      throws IOException {
    check(path + " warm-up", receiver.upload(port, SIZE, WARM_UP));
    List<PatternSink.Result> runs = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      runs.add(check(path, receiver.upload(port, SIZE, MAX_TIME)));
    }
    return bestOf(path, runs);
  }

  private static void measureThroughPortal(boolean tls) throws Exception {
    String mode = tls ? "TLS" : "plain";
    try (BenchRig rig =
        BenchRig.start(
            "bench-throughput-" + mode.toLowerCase(),
            tls,
            List.of("bulk=tcp:127.0.0.1:" + source.port()))) {
      CliProcess cli = rig.forward("bulk");
      long agent = rig.agent().process().pid();
      long rssBefore = PortalProbe.rssKb(agent);
      double best = best("portal " + mode, cli.port());
      long rssAfter = PortalProbe.rssKb(agent);
      double ofDirect = best / direct;
      BenchReport.figure(
          LABEL,
          "agent RSS under P1 load, "
              + mode
              + " (-Xmx"
              + AgentProcess.MAX_HEAP
              + ", direct memory"
              + " capped by it)",
          String.format(
              "%d MiB online and idle, %d MiB after the runs (%+.0f %%)",
              rssBefore >> 10, rssAfter >> 10, 100.0 * (rssAfter - rssBefore) / rssBefore),
          String.format(
              "jars: agent %d KiB, CLI %d KiB",
              jarKib("tether-agent.jar"), jarKib("tether-cli.jar")),
          "grows ≤ 25 %",
          BenchReport.verdict(rssAfter <= rssBefore * 1.25));
      BenchReport.figure(
          LABEL,
          "throughput, 1 channel device→user, " + mode + " portal",
          String.format(
              "%.0f MB/s = %.2f of direct, %.2f of socat x3", best, ofDirect, best / socat),
          baselines,
          String.format("≥ %.2f of direct", GOAL),
          BenchReport.verdict(ofDirect >= GOAL));
    }
  }

  /** A warm-up run, then the best of {@link #RUNS} downloads from {@code port}, in MB/s. */
  static double best(String path, int port) throws IOException {
    check(path + " warm-up", PatternSink.download(port, SIZE, WARM_UP));
    List<PatternSink.Result> runs = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      runs.add(check(path, PatternSink.download(port, SIZE, MAX_TIME)));
    }
    return bestOf(path, runs);
  }

  /** Notes every run and returns the fastest, in MB/s. */
  static double bestOf(String path, List<PatternSink.Result> runs) {
    BenchReport.note(
        LABEL,
        path
            + ": "
            + runs.stream().map(PatternSink.Result::toString).collect(Collectors.joining("; ")));
    return runs.stream()
        .max(Comparator.comparingDouble(PatternSink.Result::megabytesPerSecond))
        .orElseThrow()
        .megabytesPerSecond();
  }

  static PatternSink.Result check(String path, PatternSink.Result r) {
    assertTrue(r.exact(), path + ": the bytes read differ from the bytes sent: " + r);
    if (r.ended()) {
      assertEquals(SIZE, r.bytes(), path + ": the stream ended early: " + r);
    }
    assertTrue(r.bytes() > 0, path + ": nothing arrived");
    return r;
  }
}
