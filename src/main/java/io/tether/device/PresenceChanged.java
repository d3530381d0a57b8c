package io.tether.device;

/**
 * Published (async CDI event) after a device's presence was written: it came online, went offline,
 * or its targets' status changed. The group lets subscribers filter by access.
 */
public record PresenceChanged(long deviceId, long groupId, boolean online) {}
