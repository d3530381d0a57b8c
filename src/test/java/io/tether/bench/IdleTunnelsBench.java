package io.tether.bench;

import io.tether.bench.sim.Fleet;
import io.tether.testing.Build;
import io.tether.testing.PortalProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * P2, idle tunnels: what each connected, idle device costs the portal. Simulated devices ({@link
 * io.tether.bench.sim.DeviceSimulator}, in JVMs of their own) connect in steps; at each step, once
 * the portal reports them all online, a full GC is forced in the portal and its RSS and heap are
 * compared with the 0-device baseline of the same run. Goal: 20k tunnels at 25 KB or less each,
 * heap under 1 GiB.
 *
 * <p>Run (after {@code ./mvnw package -DskipTests}):
 *
 * <pre>
 * ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile \
 *     failsafe:integration-test@bench -Dit.test=IdleTunnelsBench -Dbench.p2.steps=1000,5000
 * </pre>
 *
 * Properties: {@code bench.p2.steps} (default 1000,5000,10000,20000), {@code bench.p2.xmx} (the
 * portal's heap, default 2g), {@code bench.sim.rate} (connects per second while ramping, default
 * 500). A step above the portal's open-files limit is run at the limit and says so.
 */
@EnabledIfSystemProperty(named = "tether.bench", matches = "true")
class IdleTunnelsBench {
  /** Ramping one step and settling: bounded so a portal that stops scaling ends the run. */
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

  private final BenchFragment fragment = new BenchFragment("P2");

  @Test
  void idleTunnelsCostPerDevice() {
    List<Integer> steps = BenchSettings.ints("bench.p2.steps", "1000,5000,10000,20000");
    String xmx = System.getProperty("bench.p2.xmx", "2g");
    int rate = BenchSettings.rampRate();
    Path work = Build.workDir("bench-p2");
    fragment.begin("idle tunnels (portal -Xmx" + xmx + ", heartbeat 20 s, ramp " + rate + "/s)");
    try (PortalProcess portal = BenchPortal.start("bench-p2", xmx)) {
      PortalProbe probe = new PortalProbe(portal);
      int largest = steps.stream().mapToInt(Integer::intValue).max().orElse(0);
      int budget = BenchSettings.fdBudget(probe);
      int devices = Math.min(largest, budget);
      if (devices < largest) {
        report(
            "open-files limit: the portal may hold "
                + budget
                + " tunnels (hard limit "
                + probe.maxFds()
                + "); steps above run at "
                + devices);
      }
      Fleet.Registered fleet = BenchSettings.fleet(portal, devices);
      report(BenchSettings.describe(fleet));

      IdleFootprint base = IdleFootprint.of(probe);
      report("baseline, 0 tunnels: " + base.describe());
      report("");
      report(
          "| tunnels | ramp s | RSS MiB | RSS/tunnel KiB | heap MiB | heap/tunnel KiB"
              + " | heap committed MiB | fds |");
      report("|---:|---:|---:|---:|---:|---:|---:|---:|");
      String tunnelUrl = "ws://127.0.0.1:" + portal.httpPort() + "/tunnel";
      try (SimulatedFleet fleetSims = new SimulatedFleet(tunnelUrl, fleet.tokens(), work)) {
        for (int step : steps) {
          int target = Math.min(step, devices);
          if (target <= fleetSims.devices()) {
            continue;
          }
          long started = System.nanoTime();
          fleetSims.growTo(target, rate);
          boolean allOnline = fleetSims.awaitOnline(probe, target, STEP_TIMEOUT);
          double ramp = Sampling.seconds(started, System.nanoTime());
          if (!allOnline) {
            report("");
            report(
                String.format(
                    "stopped scaling at step %d after %.0f s: %s",
                    target, ramp, fleetSims.state(probe)));
            break;
          }
          IdleFootprint s = IdleFootprint.of(probe);
          report(
              String.format(
                  "| %d%s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f | %d |",
                  target,
                  target < step ? " (of " + step + ")" : "",
                  ramp,
                  s.rssKb() / 1024.0,
                  s.rssPerTunnelKb(base, target),
                  s.heapKb() / 1024.0,
                  s.heapPerTunnelKb(base, target),
                  s.committedKb() / 1024.0,
                  s.fds()));
        }
        report("");
        report("at the end: " + fleetSims.state(probe));
      }
    }
  }

  /** The one place figures leave this bench (to be pointed at the shared report). */
  private void report(String line) {
    fragment.line(line);
  }
}
