package io.tether.cluster;

/**
 * An admin on another node ended a live session that this node holds: end it here, as if the
 * request had come to this node.
 */
public record SessionEndRequested(long sessionId, String reason, String detail) {}
