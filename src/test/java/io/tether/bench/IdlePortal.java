package io.tether.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

/**
 * One portal of {@link ClusterIdleBench} and its simulated devices: its footprint with no tunnels,
 * with half of them and with all, and how long they took to connect.
 */
final class IdlePortal {
  static final String HEADER =
      "| portal | tunnels | ramp s | threads 0 → ½ → all | RSS MiB 0 → all | RSS/tunnel KiB"
          + " | × single | heap MiB 0 → all | heap/tunnel KiB | × single"
          + " | 2nd half: RSS, heap KiB/tunnel | committed MiB | fds |\n"
          + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  private final String name;
  private final PortalProbe probe;
  private final SimulatedFleet sims;
  private final int tunnels;
  private double rampSeconds;
  private IdleFootprint base;
  private IdleFootprint half;
  private IdleFootprint full;

  IdlePortal(String name, PortalProbe probe, SimulatedFleet sims, int tunnels) {
    this.name = name;
    this.probe = probe;
    this.sims = sims;
    this.tunnels = tunnels;
  }

  void baseline() {
    base = IdleFootprint.of(probe);
  }

  /** Grows the fleet to {@code target} and waits until the portal counts it; the seconds taken. */
  double connect(int target, int rate, Duration timeout) {
    long started = System.nanoTime();
    sims.growTo(target, rate);
    assertTrue(
        sims.awaitOnline(probe, target, timeout),
        name + ": " + target + " devices online: " + sims.state(probe));
    double seconds = Sampling.seconds(started, System.nanoTime());
    rampSeconds += seconds;
    return seconds;
  }

  /** Samples the footprint after {@code step} 1 (half the devices) or 2 (all). */
  void sample(int step) {
    if (step == 1) {
      half = IdleFootprint.of(probe);
    } else {
      full = IdleFootprint.of(probe);
    }
  }

  IdleFootprint last() {
    return full != null ? full : half;
  }

  /** Tunnels the portal counts now. */
  long online() {
    return Math.round(probe.metric("tether_tunnels_online"));
  }

  String problems() {
    return "problems " + sims.problems();
  }

  String name() {
    return name;
  }

  PortalProbe probe() {
    return probe;
  }

  IdleFootprint base() {
    return base;
  }

  int tunnels() {
    return tunnels;
  }

  /** RSS per tunnel, all of them against the 0-tunnel baseline: the P2 figure. */
  double rss() {
    return full.rssPerTunnelKb(base, tunnels);
  }

  double heap() {
    return full.heapPerTunnelKb(base, tunnels);
  }

  /** A markdown row of {@link #HEADER}, with the ratios to {@code single}. */
  String row(IdlePortal single) {
    int secondHalf = tunnels - tunnels / 2;
    return String.format(
        "| %s | %d | %.1f | %d → %d → %d | %.0f → %.0f | %.1f | %.2f | %.1f → %.1f | %.1f | %.2f"
            + " | %.1f, %.1f | %.0f | %d |",
        name,
        tunnels,
        rampSeconds,
        base.threads(),
        half.threads(),
        full.threads(),
        base.rssKb() / 1024.0,
        full.rssKb() / 1024.0,
        rss(),
        rss() / single.rss(),
        base.heapKb() / 1024.0,
        full.heapKb() / 1024.0,
        heap(),
        heap() / single.heap(),
        full.rssPerTunnelKb(half, secondHalf),
        full.heapPerTunnelKb(half, secondHalf),
        full.committedKb() / 1024.0,
        full.fds());
  }
}
