package io.tether.bench;

import io.tether.bench.sim.SimulatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator JVMs of one benchmark, grown step by step: each holds at most {@link
 * #PER_SIMULATOR} devices, so its sockets stay below a 20k open-files limit; their reports are
 * summed.
 */
final class SimulatedFleet implements AutoCloseable {
  /** Devices per simulator JVM: well under the usual 20000 open files of a process. */
  static final int PER_SIMULATOR = 8000;

  private final String tunnelUrl;
  private final Path tokens;
  private final Path workDir;
  private final int firstDevice;
  private final List<SimulatorProcess> simulators = new ArrayList<>();
  private int started;

  SimulatedFleet(String tunnelUrl, Path tokens, Path workDir) {
    this(tunnelUrl, tokens, workDir, 0);
  }

  /** A fleet of the token file's devices from {@code firstDevice} on (line numbers from 0). */
  SimulatedFleet(String tunnelUrl, Path tokens, Path workDir, int firstDevice) {
    this.tunnelUrl = tunnelUrl;
    this.tokens = tokens;
    this.workDir = workDir;
    this.firstDevice = firstDevice;
  }

  /** Brings the fleet to {@code total} devices at about {@code rate} connects per second. */
  void growTo(int total, int rate) {
    int chunks = (int) Math.ceil((total - started) / (double) PER_SIMULATOR);
    for (int from = started; from < total; from += PER_SIMULATOR) {
      int to = Math.min(total, from + PER_SIMULATOR);
      simulators.add(
          SimulatorProcess.start(
              "sim-" + simulators.size(),
              tunnelUrl,
              tokens,
              firstDevice + from,
              firstDevice + to,
              Math.max(1, rate / Math.max(1, chunks)),
              workDir));
    }
    started = Math.max(started, total);
  }

  /**
   * Polls {@code portal} until it counts at least {@code tunnels} online; false after {@code
   * timeout}. A simulator that exits ends the wait with its log.
   */
  boolean awaitOnline(PortalProbe portal, int tunnels, Duration timeout) {
    return Sampling.until(
        timeout,
        () -> {
          checkAlive();
          return portal.metric("tether_tunnels_online") >= tunnels;
        });
  }

  /** Where a fleet that is not all online stands, as the portal and the simulators see it. */
  String state(PortalProbe portal) {
    String refused = portal.series("tether_tunnel_refused_total");
    return String.format(
        "portal online %.0f, simulators online %d, simulator problems %s, portal refused %s",
        portal.metric("tether_tunnels_online"),
        sum("online"),
        problems(),
        refused.isEmpty() ? "none" : refused);
  }

  int devices() {
    return started;
  }

  /** A report value summed over the simulators (online, failed, closed, fail.http503, ...). */
  long sum(String key) {
    return simulators.stream().mapToLong(s -> s.value(key)).sum();
  }

  /** Every fail.* and close.* counter that is not zero, summed over the simulators. */
  String problems() {
    Map<String, Long> all = problemCounts();
    return all.isEmpty() ? "none" : all.toString();
  }

  /** The problems counted since {@code before} (a {@link #problemCounts()} taken earlier). */
  String problemsSince(Map<String, Long> before) {
    Map<String, Long> delta = new TreeMap<>();
    problemCounts()
        .forEach(
            (k, v) -> {
              long d = v - before.getOrDefault(k, 0L);
              if (d != 0) {
                delta.put(k, d);
              }
            });
    return delta.isEmpty() ? "none" : delta.toString();
  }

  Map<String, Long> problemCounts() {
    Map<String, Long> all = new TreeMap<>();
    for (SimulatorProcess s : simulators) {
      s.latest()
          .forEach(
              (k, v) -> {
                if (k.startsWith("fail.") || k.startsWith("close.")) {
                  all.merge(k, v, Long::sum);
                }
              });
    }
    return all;
  }

  void checkAlive() {
    for (SimulatorProcess s : simulators) {
      if (!s.isAlive()) {
        throw new AssertionError("a simulator exited (log " + s.logFile() + "):\n" + s.output());
      }
    }
  }

  @Override
  public void close() {
    simulators.forEach(SimulatorProcess::close);
  }
}
