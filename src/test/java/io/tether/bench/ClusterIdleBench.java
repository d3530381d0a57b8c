package io.tether.bench;

import io.tether.bench.sim.Fleet;
import io.tether.testing.Build;
import io.tether.testing.ClusterFixture;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import io.tether.testing.Started;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * P2 per node across nodes (issue 15): what an idle tunnel costs a node of a three-node cluster
 * beside what it costs a single portal, in one run. First a single packaged portal as {@link
 * IdleTunnelsBench} runs it (but on a new data dir, see {@link #singlePortal}), with {@code
 * bench.p2.cluster.per-node} simulated devices (3,000 by default); then the three nodes of a {@link
 * ClusterFixture} (production timers, one PostgreSQL, HAProxy in front; started before the test, so
 * idle beside the single portal) with as many devices each. The simulators dial each node's own
 * tunnel URL, not the balancer: HAProxy would hold two sockets per device and cap the cluster at
 * ~9,000. A portal's share is capped by its open-files limit; a simulator JVM holds at most {@link
 * SimulatedFleet#PER_SIMULATOR}.
 *
 * <p>Each portal's 0-tunnel baseline is taken once the devices are registered, before any connect.
 * Its devices connect in two halves (in the cluster, every node's half before the next half); after
 * each half the portals are left to settle ({@code bench.p2.cluster.settle-seconds}, past the
 * worker pool's 30 s keep-alive: a connect storm's extra workers are not an idle cost, unless
 * something keeps them busy), then a full GC is forced and RSS, heap and threads read. The figure
 * is the full fleet against the baseline (a node's includes what it keeps of the other nodes'
 * devices); the second half against the first is printed beside it, free of what only the first
 * connects pay (JIT, pools). Goal: each node within 5 % of the single portal, read as no more than
 * 1.05 of its cost per tunnel.
 *
 * <p>Run alone: {@code ./mvnw -Pbench -Dexec.skip=true -Dspotless.check.skip=true test-compile
 * failsafe:integration-test@bench -Dit.test=ClusterIdleBench} (after a package). Properties: {@code
 * bench.p2.cluster.per-node}, {@code bench.p2.xmx} (every portal's heap, 2g), {@code
 * bench.sim.rate} (connects per second, each portal ramped alone, 500).
 */
@EnabledIfSystemProperty(named = "tether.bench", matches = "true")
class ClusterIdleBench {
  private static final String LABEL = "P2";
  private static final int PER_NODE = Integer.getInteger("bench.p2.cluster.per-node", 3000);
  private static final String XMX = System.getProperty("bench.p2.xmx", "2g");

  /** Past Quarkus's worker keep-alive (30 s): the workers a ramp started end if left idle. */
  private static final Duration SETTLE =
      Duration.ofSeconds(Long.getLong("bench.p2.cluster.settle-seconds", 40));

  /** Ramping one portal's share: bounded so a stuck ramp ends the run. */
  private static final Duration ONLINE = Duration.ofMinutes(2);

  /** Issue 15: a node's cost per idle tunnel is at most this many times the single portal's. */
  static final double GOAL = 1.05;

  @RegisterExtension
  static final ClusterFixture cluster =
      ClusterFixture.start("bench-p2-cluster", 3).withProductionTimers().withMaxHeap(XMX);

  private final BenchFragment fragment = new BenchFragment(LABEL, "p2-cluster");
  private final Path work = Build.workDir("bench-p2-cluster-fleet");

  @Test
  void idleTunnelCostPerNodeBesideASingleNode() {
    int rate = BenchSettings.rampRate();
    fragment.begin(
        String.format(
            "idle tunnels per node, 3 nodes beside 1 (every portal -Xmx%s, heartbeat 20 s, ramp"
                + " %d/s per portal, %d s settle; the simulators dial each node, not HAProxy)",
            XMX, rate, SETTLE.toSeconds()));
    IdlePortal single = singlePortal(rate);
    List<IdlePortal> nodes = clusterNodes(rate);
    report("");
    report(IdlePortal.HEADER);
    report(single.row(single));
    nodes.forEach(n -> report(n.row(single)));
    for (IdlePortal node : nodes) {
      double rss = node.rss() / single.rss();
      double heap = node.heap() / single.heap();
      BenchReport.figure(
          LABEL,
          "idle tunnels, " + node.name() + " of 3 (devices dial it directly)",
          String.format(
              "%d tunnels: RSS %.1f KiB/tunnel = **%.2f** of single, heap %.1f KiB/tunnel ="
                  + " **%.2f** of single",
              node.tunnels(), node.rss(), rss, node.heap(), heap),
          String.format(
              "single portal, same run: %d tunnels, RSS %.1f, heap %.1f KiB/tunnel",
              single.tunnels(), single.rss(), single.heap()),
          String.format("≤ %.2f of single (within 5 %%)", GOAL),
          rss <= GOAL && heap <= GOAL
              ? BenchReport.verdict(true)
              : BenchReport.verdict(false)
                  + (rss > GOAL ? " (RSS)" : "")
                  + (heap > GOAL ? " (heap)" : ""));
    }
  }

  /**
   * The single portal, on a new data dir: it registers its devices as each node does its third of
   * the cluster's, so every baseline follows the same REST work (a portal that served none is
   * colder: its first connects would pay for JIT and caches the others paid before theirs).
   */
  private IdlePortal singlePortal(int rate) {
    try (PortalProcess portal =
        BenchPortal.start("bench-p2-single", XMX, work.resolve("single-data"))) {
      PortalProbe probe = new PortalProbe(portal);
      int tunnels = capped("single portal", probe);
      long registering = System.nanoTime();
      Fleet.Registered fleet =
          Fleet.ensure(PortalClient.admin(portal), tunnels, work.resolve("single-tokens"));
      report(
          String.format(
              "single portal: %d devices registered in %.0f s",
              fleet.registered(), Sampling.seconds(registering, System.nanoTime())));
      try (SimulatedFleet sims =
          new SimulatedFleet(tunnelUrl(portal), fleet.tokens(), work.resolve("single-sims"))) {
        List<IdlePortal> one = List.of(new IdlePortal("single portal", probe, sims, tunnels));
        connectInHalves(one, rate);
        return one.get(0);
      }
    }
  }

  private List<IdlePortal> clusterNodes(int rate) {
    List<PortalProbe> probes = new ArrayList<>();
    int perNode = PER_NODE;
    for (int i = 0; i < cluster.size(); i++) {
      probes.add(new PortalProbe(cluster.node(i)));
      perNode = Math.min(perNode, capped(name(i), probes.get(i)));
    }
    long registering = System.nanoTime();
    Fleet.Registered fleet =
        Fleet.ensure(cluster.admin(), perNode * cluster.size(), work.resolve("cluster-tokens"));
    report(
        String.format(
            "cluster: %d devices registered through the balancer in %.0f s",
            fleet.registered(), Sampling.seconds(registering, System.nanoTime())));
    try (Started sims = new Started()) {
      List<IdlePortal> nodes = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        SimulatedFleet share =
            sims.add(
                new SimulatedFleet(
                    tunnelUrl(cluster.node(i)),
                    fleet.tokens(),
                    work.resolve("node" + (i + 1)),
                    i * perNode));
        nodes.add(new IdlePortal(name(i), probes.get(i), share, perNode));
      }
      connectInHalves(nodes, rate);
      return nodes;
    }
  }

  /**
   * Baselines every portal, then connects each one's devices in two halves, one portal after the
   * other; after each half all settle before they are sampled.
   */
  private void connectInHalves(List<IdlePortal> portals, int rate) {
    for (IdlePortal p : portals) {
      p.baseline();
      report(p.name() + ", 0 tunnels: " + p.base().describe());
    }
    for (int half = 1; half <= 2; half++) {
      for (IdlePortal p : portals) {
        int target = half == 1 ? p.tunnels() / 2 : p.tunnels();
        double seconds = p.connect(target, rate, ONLINE);
        report(
            String.format(
                "%s: %d online after %.1f s, %d threads",
                p.name(), target, seconds, p.probe().threads()));
      }
      Sampling.until(SETTLE, () -> false); // idle on purpose: the workers' keep-alive runs out
      for (IdlePortal p : portals) {
        p.sample(half);
        report(p.name() + ", " + p.online() + " tunnels, settled: " + p.last().describe());
      }
    }
    portals.forEach(p -> report(p.name() + ": simulators at the end: " + p.problems()));
  }

  private static String tunnelUrl(PortalProcess portal) {
    return portal.baseUrl().replaceFirst("^http", "ws") + "/tunnel";
  }

  /** {@link #PER_NODE}, or fewer where a portal's open-files limit would not hold them. */
  private int capped(String portal, PortalProbe probe) {
    int budget = BenchSettings.fdBudget(probe);
    if (budget < PER_NODE) {
      report(portal + ": its open-files limit holds " + budget + " tunnels, not " + PER_NODE);
    }
    return Math.min(PER_NODE, budget);
  }

  private static String name(int i) {
    return "node " + (i + 1) + " (" + ClusterFixture.address(i) + ")";
  }

  /** The lines of this figure: printed as {@code [P2] …} and kept in target/bench/p2-cluster.md. */
  private void report(String line) {
    fragment.line(line);
  }
}
