package io.tether.tunnel;

/**
 * What every tunnel of this node shares, passed to each at construction: its settings, the
 * registry, metrics, the node's buffer budget, where its life events go, and the clock.
 */
record TunnelNode(
    TunnelSettings settings,
    TunnelRegistry registry,
    TunnelMetrics metrics,
    NodeBudget budget,
    TunnelEvents events,
    TunnelClock clock) {}
