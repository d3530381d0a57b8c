package io.tether.cluster;

/**
 * A link port was created or removed. Fired by the node that made the change (inside its
 * transaction, {@code fromNode} null) and again on every other node when it hears of it ({@code
 * fromNode} set): each node listens on every link port, so that a balancer may send a host program
 * to any of them.
 */
public record LinkPortChanged(long linkId, boolean removed, String fromNode) {}
