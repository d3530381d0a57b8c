package io.tether.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.testing.ByteSource;
import io.tether.testing.CliProcess;
import io.tether.testing.EchoServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * P3: keystroke echo round trip. One byte written to a tether-cli forward of a device-side echo
 * server (through agent and portal), its echo awaited; N samples after a warm-up, p50/p99/max
 * against the same round trip straight to the echo server. Then again while another channel of the
 * same tunnel (a second CLI forward, same agent) moves bulk data as fast as a reader takes it —
 * beside the direct round trip measured under that same bulk load, which separates the CPU the bulk
 * takes on this machine from the queueing in the tunnel; and once more beside bulk whose reader is
 * paced at {@link #PACED_BULK}. Then the idle round trip through a portal that serves TLS.
 *
 * <p>Run alone: {@code ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile
 * failsafe:integration-test@bench -Dit.test=EchoLatencyBench} (after a package).
 */
class EchoLatencyBench {
  static final String LABEL = "P3";
  private static final int SAMPLES = 5000;

  /**
   * Round trips before the samples, per path: the three JVMs on it (CLI, portal, agent) reach
   * steady JIT-compiled code only after some 10,000 (with 500, the first 5,000 samples had a p99
   * about three times the steady one); a keystroke path in production is long warm.
   */
  private static final int WARM_UP = 15_000;

  private static final Duration WARM_UP_TIME = Duration.ofSeconds(15);

  /** Per phase: a loaded 2-core machine may not fit 5000 round trips, then fewer are taken. */
  private static final Duration PHASE = Duration.ofSeconds(20);

  static final long GOAL_ADDED_P99 = 1_000_000;

  @Test
  void keystrokeEchoIdleAndBesideBulk() throws Exception {
    try (EchoServer echo = EchoServer.start();
        ByteSource stream = Pattern.server(Long.MAX_VALUE);
        BenchRig rig =
            BenchRig.start(
                "bench-echo",
                false,
                List.of(
                    "echo=tcp:127.0.0.1:" + echo.port(),
                    "stream=tcp:127.0.0.1:" + stream.port()))) {
      CliProcess echoCli = rig.forward("echo");
      CliProcess bulkCli = rig.forward("stream");

      Stats direct = measure("direct, idle", echo.port());
      Stats portal = measure("through the portal, idle", echoCli.port());
      reportIdle("keystroke echo (1 byte), idle tunnel", portal, direct, "≤ 1 ms added at p99");

      besideBulk(echoCli, bulkCli, echo, portal, Long.MAX_VALUE, "");
      besideBulk(echoCli, bulkCli, echo, portal, PACED_BULK, ", its reader paced");
    }
  }

  /**
   * The pace of the second bulk phase: a consumer (a gigabit link, a disk) rather than the CPU
   * limits the transfer, its window always full, and the two cores that carry all five processes of
   * the path are not saturated. Beside the unpaced bulk they are: each process on the path then
   * waits for a core as well (the portal's event loop ~1.8 s of every 5 s, from its schedstat).
   */
  static final long PACED_BULK = 100_000_000;

  private static void besideBulk(
      CliProcess echoCli, CliProcess bulkCli, EchoServer echo, Stats idle, long pace, String how)
      throws Exception {
    Stats loaded;
    Stats directLoaded;
    double bulkRate;
    try (BulkReader bulk = BulkReader.start(bulkCli.port(), PHASE.multipliedBy(3), pace)) {
      loaded = measure("through the portal, beside bulk" + how, echoCli.port());
      directLoaded = measure("direct, beside the same bulk" + how, echo.port());
      bulkRate = bulk.megabytesPerSecond();
      bulk.assertSound();
    }
    BenchReport.figure(
        LABEL,
        String.format(
            "keystroke echo beside a bulk channel on the same tunnel (%.0f MB/s%s)", bulkRate, how),
        loaded + "; adds " + Stats.ms(loaded.p99() - directLoaded.p99()) + " at p99",
        "direct under the same bulk load "
            + directLoaded
            + "; idle tunnel p99 "
            + Stats.ms(idle.p99()),
        "p99 ≤ 2 ms (issue 14)",
        BenchReport.verdict(loaded.p99() <= BESIDE_BULK_P99));
  }

  /** Issue 14's goal for a keystroke's echo beside a bulk transfer on the same tunnel. */
  static final long BESIDE_BULK_P99 = 2_000_000;

  /** The idle round trip again with the portal serving TLS (agent and CLI over wss/https). */
  @Test
  void keystrokeEchoOverTls() throws Exception {
    try (EchoServer echo = EchoServer.start();
        BenchRig rig =
            BenchRig.start("bench-echo-tls", true, List.of("echo=tcp:127.0.0.1:" + echo.port()))) {
      CliProcess echoCli = rig.forward("echo");
      Stats direct = measure("direct, idle (TLS run)", echo.port());
      Stats portal = measure("through a TLS portal, idle", echoCli.port());
      reportIdle(
          "keystroke echo (1 byte), idle tunnel, TLS portal",
          portal,
          direct,
          "≤ 1 ms added at p99 (the goal is for plain; information)");
    }
  }

  private static void reportIdle(String what, Stats portal, Stats direct, String goal) {
    long added = portal.p99() - direct.p99();
    BenchReport.figure(
        LABEL,
        what,
        portal + "; adds " + Stats.ms(added) + " at p99",
        "direct " + direct,
        goal,
        BenchReport.verdict(added <= GOAL_ADDED_P99));
  }

  /**
   * A warm-up, then up to {@link #SAMPLES} round trips within {@link #PHASE}, on one connection.
   */
  static Stats measure(String path, int port) throws IOException {
    try (EchoProbe probe = new EchoProbe(port)) {
      probe.roundTrips(WARM_UP, WARM_UP_TIME);
      long[] samples = probe.roundTrips(SAMPLES, PHASE);
      assertTrue(samples.length >= 100, path + ": only " + samples.length + " round trips");
      Stats stats = Stats.of(samples);
      BenchReport.note(LABEL, path + ": " + stats);
      return stats;
    }
  }
}
