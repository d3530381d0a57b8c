package io.tether.cluster;

/**
 * An admin on another node asked for an agent upgrade of this device: the node holding its tunnel
 * sends the UPGRADE (the request is a row in {@code agent_upgrades}; this only says to look now).
 */
public record UpgradeRequested(long deviceId) {}
