package io.tether.bench;

import io.tether.bench.sim.Fleet;
import io.tether.testing.PortalClient;
import io.tether.testing.PortalProcess;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Settings shared by the tunnel benchmarks, each overridable with a system property. */
final class BenchSettings {
  private BenchSettings() {}

  /**
   * The portal's production timers (the test harness shortens them): a 20 s heartbeat is what an
   * idle fleet really costs, and agents are told the default retry-after on shutdown.
   */
  static Map<String, String> productionTimers() {
    Map<String, String> env = new HashMap<>();
    env.put("TETHER_HEARTBEAT", "20s");
    env.put("TETHER_DEAD_AFTER", "60s");
    env.put("TETHER_PRESENCE_INTERVAL", "60s");
    env.put("TETHER_SHUTDOWN_RETRY_AFTER", System.getProperty("bench.retry-after", "5s"));
    return env;
  }

  /** Connects per second while a simulated fleet ramps up ({@code -Dbench.sim.rate}). */
  static int rampRate() {
    return Integer.getInteger("bench.sim.rate", 500);
  }

  static List<Integer> ints(String property, String fallback) {
    return Arrays.stream(System.getProperty(property, fallback).split(","))
        .map(String::trim)
        .map(Integer::parseInt)
        .toList();
  }

  /**
   * How many tunnels a portal can hold before it runs out of file descriptors: its hard limit less
   * what it has open already and a reserve for the database pool, logs and REST clients.
   */
  static int fdBudget(PortalProbe probe) {
    long budget = probe.maxFds() - probe.openFds() - FD_RESERVE;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, budget));
  }

  /** The fleet's tokens for at least {@code count} devices, registering what is missing. */
  static Fleet.Registered fleet(PortalProcess portal, int count) {
    return Fleet.ensure(
        PortalClient.admin(portal), count, BenchPortal.fleetDir().resolve("tokens.txt"));
  }

  static String describe(Fleet.Registered fleet) {
    return fleet.registered() == 0
        ? "devices: registered by an earlier run (" + BenchPortal.fleetDir() + ")"
        : String.format(
            "registered %d devices by CSV import (%d a file) in %.1f s: %.0f/s",
            fleet.registered(),
            Fleet.ROWS_PER_IMPORT,
            fleet.took().toMillis() / 1000.0,
            fleet.perSecond());
  }

  /** Descriptors kept free in the portal beyond the tunnels: pool growth, logs, API clients. */
  static final int FD_RESERVE = 200;
}
