package io.tether.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as Prometheus sees it, on every node: this node's epoch, whether it serves and how
 * long ago it renewed its heartbeat, and how many nodes the table has in each state. The node table
 * is read every {@link #NODES_READ_EVERY} by a job of its own, never by a scrape: a scrape neither
 * loads the database nor waits for one that does not answer (it shows no figure then).
 */
@ApplicationScoped
public class ClusterMetrics {
  /** The node table is read for the state gauges this often. */
  static final Duration NODES_READ_EVERY = Duration.ofSeconds(2);

  /** Counts older than this (the database stopped answering) are no figure, not a stale one. */
  static final Duration COUNTS_VALID_FOR = NODES_READ_EVERY.multipliedBy(3);

  static final List<String> STATES = List.of("live", "draining", "stopped", "dead");

  @Inject Membership membership;
  @Inject MeterRegistry registry;

  /** The last counts read, with when: replaced whole, so a scrape sees one reading. */
  private record Counts(Map<String, Long> byState, long readAt) {}

  private volatile Counts counts;

  void onStart(@Observes StartupEvent event) {
    if (!membership.enabled()) {
      return;
    }
    Gauge.builder("tether.cluster.epoch", membership, m -> m.epoch().orElse(-1L))
        .description("this node's epoch (-1 while it rejoins)")
        .register(registry);
    Gauge.builder("tether.cluster.serving", membership, m -> m.serving() ? 1 : 0)
        .description("1 while this node takes new tunnels and sessions")
        .register(registry);
    Gauge.builder("tether.cluster.heartbeat.age", membership, Membership::secondsSinceRenewal)
        .baseUnit("seconds")
        .description("time since this node last renewed its heartbeat")
        .register(registry);
    for (String state : STATES) {
      Gauge.builder("tether.cluster.nodes", this, m -> m.nodesIn(state))
          .tag("state", state)
          .description("nodes in the membership table by state")
          .register(registry);
    }
  }

  @Scheduled(
      every = "2s", // NODES_READ_EVERY
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.tether.boot.Stopping.class)
  void readNodes() {
    if (!membership.enabled()) {
      return;
    }
    try {
      Map<String, Long> byState = new HashMap<>();
      for (NodeRows.Node n : membership.nodes()) {
        byState.merge(n.state(), 1L, Long::sum);
      }
      counts = new Counts(Map.copyOf(byState), System.nanoTime());
    } catch (SQLException | RuntimeException e) {
      // the database does not answer: the counts age out to no figure
    }
  }

  double nodesIn(String state) {
    Counts c = counts;
    if (c == null || System.nanoTime() - c.readAt() > COUNTS_VALID_FOR.toNanos()) {
      return Double.NaN;
    }
    return c.byState().getOrDefault(state, 0L);
  }
}
