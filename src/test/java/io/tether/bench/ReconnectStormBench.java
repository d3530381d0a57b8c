package io.tether.bench;

import io.tether.agent.Backoff;
import io.tether.bench.sim.Fleet;
import io.tether.testing.Build;
import io.tether.testing.PortalProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * P5, reconnect storm: a fleet of simulated devices online, the portal restarts (a graceful stop,
 * then a kill -9), and the time until every device is online again is measured from the stop, with
 * the refusals seen on both sides and the new portal's CPU over the storm. The simulated agents
 * honour the shutdown's retry-after and back off as the agent does. Goal: 10k back within 30 s.
 *
 * <p>Run (after {@code ./mvnw package -DskipTests}):
 *
 * <pre>
 * ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile \
 *     failsafe:integration-test@bench -Dit.test=ReconnectStormBench -Dbench.p5.devices=2000
 * </pre>
 *
 * Properties: {@code bench.p5.devices} (default 10000), {@code bench.p5.restarts} (default
 * graceful,kill), {@code bench.p5.xmx} (default 2g), {@code bench.p5.rate} (connects per second of
 * the initial ramp, default 250: a cold portal flooded faster on a busy 2-core machine collapses,
 * see the report), {@code bench.retry-after} (the portal's TETHER_SHUTDOWN_RETRY_AFTER, default
 * 5s).
 */
@EnabledIfSystemProperty(named = "tether.bench", matches = "true")
class ReconnectStormBench {
  /** Bringing the fleet online, and each storm: bounded so a stuck run ends. */
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(2);

  private final BenchFragment fragment = new BenchFragment("P5");

  /** Lines that follow the table: what each storm looked like from the devices. */
  private final List<String> details = new ArrayList<>();

  @Test
  void fleetComesBackAfterPortalRestart() {
    int wanted = Integer.getInteger("bench.p5.devices", 10_000);
    List<String> restarts =
        List.of(System.getProperty("bench.p5.restarts", "graceful,kill").split(","));
    String xmx = System.getProperty("bench.p5.xmx", "2g");
    Duration settle =
        Duration.ofSeconds(
            Long.getLong("bench.p5.settle-seconds", Backoff.STABLE_AFTER.toSeconds()));
    Path work = Build.workDir("bench-p5");
    fragment.begin(
        "reconnect storm (portal -Xmx"
            + xmx
            + ", retry-after "
            + BenchSettings.productionTimers().get("TETHER_SHUTDOWN_RETRY_AFTER")
            + ")");
    try (PortalProcess portal = BenchPortal.start("bench-p5", xmx)) {
      PortalProbe probe = new PortalProbe(portal);
      int devices = Math.min(wanted, BenchSettings.fdBudget(probe));
      if (devices < wanted) {
        report("open-files limit: running " + devices + " devices instead of " + wanted);
      }
      Fleet.Registered fleet = BenchSettings.fleet(portal, devices);
      report(BenchSettings.describe(fleet));
      String tunnelUrl = "ws://127.0.0.1:" + portal.httpPort() + "/tunnel";
      try (SimulatedFleet sims = new SimulatedFleet(tunnelUrl, fleet.tokens(), work)) {
        long rampStart = System.nanoTime();
        sims.growTo(devices, Integer.getInteger("bench.p5.rate", 250));
        if (!sims.awaitOnline(probe, devices, PHASE_TIMEOUT)) {
          report("the fleet never came online: " + sims.state(probe));
          throw new AssertionError("the fleet never came online: " + sims.state(probe));
        }
        report(
            String.format(
                "%d devices online after %.1f s of ramp",
                devices, Sampling.seconds(rampStart, System.nanoTime())));
        report("");
        report(
            "| restart | portal down s | ready after s | all online after s | storm CPU s"
                + " (avg %) | CPU since launch s | sim failures | sim closes | portal refused |");
        report("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (String how : restarts) {
          settle(settle);
          if (!storm(how.trim(), portal, probe, sims, devices)) {
            break;
          }
        }
        report("");
        details.forEach(this::report);
      }
    }
  }

  /** One restart; false when the fleet did not come back in time. */
  private boolean storm(
      String how, PortalProcess portal, PortalProbe probe, SimulatedFleet sims, int devices) {
    long failuresBefore = sims.sum("failed");
    long closesBefore = sims.sum("closed");
    Map<String, Long> problemsBefore = sims.problemCounts();
    long stopAt = System.nanoTime();
    switch (how) {
      case "graceful" -> portal.stop();
      case "kill" -> portal.kill9();
      default ->
          throw new IllegalArgumentException("bench.p5.restarts: graceful or kill, not " + how);
    }
    long downAt = System.nanoTime();
    portal.start(); // same data dir and ports; waits until ready
    long readyAt = System.nanoTime();
    long cpuAtReady = probe.cpuTicks();
    // the tail is the agents' backoff: say when most were back, not only the last one
    double[] shares = {0.5, 0.9, 0.99};
    long[] reachedAt = new long[shares.length];
    boolean back =
        Sampling.until(
            PHASE_TIMEOUT,
            () -> {
              sims.checkAlive();
              double online = probe.metric("tether_tunnels_online");
              for (int i = 0; i < shares.length; i++) {
                if (reachedAt[i] == 0 && online >= shares[i] * devices) {
                  reachedAt[i] = System.nanoTime();
                }
              }
              return online >= devices;
            });
    long backAt = System.nanoTime();
    StringBuilder tail = new StringBuilder();
    for (int i = 0; i < shares.length; i++) {
      tail.append(String.format(" %.0f%%", shares[i] * 100))
          .append(
              reachedAt[i] == 0
                  ? " never"
                  : String.format(" %.1f s", Sampling.seconds(stopAt, reachedAt[i])));
    }
    long cpuAtBack = probe.cpuTicks();
    double sinceLaunch = cpuAtBack / (double) PortalProbe.CLOCK_TICKS_PER_SECOND;
    double stormCpu = (cpuAtBack - cpuAtReady) / (double) PortalProbe.CLOCK_TICKS_PER_SECOND;
    double stormWall = Sampling.seconds(readyAt, backAt);
    report(
        String.format(
            "| %s | %.1f | %.1f | %s | %.1f (%.0f %%) | %.1f | %d | %d | %s |",
            how,
            Sampling.seconds(stopAt, downAt),
            Sampling.seconds(stopAt, readyAt),
            back
                ? String.format("%.1f", Sampling.seconds(stopAt, backAt))
                : "not within " + PHASE_TIMEOUT.toSeconds() + " s",
            stormCpu,
            100 * stormCpu / Math.max(0.001, stormWall),
            sinceLaunch,
            sims.sum("failed") - failuresBefore,
            sims.sum("closed") - closesBefore,
            orNone(probe.series("tether_tunnel_refused_total"))));
    details.add(
        how
            + ": online again after the stop:"
            + tail
            + "; simulators saw "
            + sims.problemsSince(problemsBefore));
    if (!back) {
      details.add(how + ": not all back: " + sims.state(probe));
    }
    return back;
  }

  /**
   * Lets the fleet stay connected for {@code settle} before a restart: an agent's backoff ceiling
   * resets only after a connection lasted {@link Backoff#STABLE_AFTER}, so without this the second
   * storm would start from the ceilings the first one left (as it would for back-to-back restarts).
   */
  private static void settle(Duration settle) {
    Sampling.until(settle, () -> false);
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "none" : s;
  }

  /** The one place figures leave this bench (to be pointed at the shared report). */
  private void report(String line) {
    fragment.line(line);
  }
}
