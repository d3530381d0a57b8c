package io.tether.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster as Prometheus sees it, on every node: this node's epoch, whether it serves and how
 * long ago it renewed its heartbeat, and how many nodes the table has in each state (read at most
 * once per {@link #NODES_READ_EVERY}, so scrapes never load the database).
 */
@ApplicationScoped
public class ClusterMetrics {
  /** The node table is read for the state gauges at most this often. */
  static final Duration NODES_READ_EVERY = Duration.ofSeconds(2);

  static final List<String> STATES = List.of("live", "draining", "stopped", "dead");

  @Inject Membership membership;
  @Inject MeterRegistry registry;

  private final Map<String, Long> byState = new ConcurrentHashMap<>();
  private volatile long readAt;
  private volatile boolean read;

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

  private double nodesIn(String state) {
    long now = System.nanoTime();
    if (!read || now - readAt > NODES_READ_EVERY.toNanos()) {
      read = true;
      readAt = now;
      try {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        for (NodeRows.Node n : membership.nodes()) {
          counts.merge(n.state(), 1L, Long::sum);
        }
        byState.clear();
        byState.putAll(counts);
      } catch (SQLException | RuntimeException e) {
        return Double.NaN; // the database does not answer: no figure rather than a stale one
      }
    }
    return byState.getOrDefault(state, 0L);
  }
}
