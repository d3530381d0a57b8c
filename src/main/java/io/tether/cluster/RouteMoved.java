package io.tether.cluster;

/**
 * Another node wrote a newer route for a device (its agent reconnected there): a tunnel of that
 * device on this node with an older generation is a half-open leftover and closes as replaced.
 */
public record RouteMoved(long deviceId, String nodeId, long generation) {}
