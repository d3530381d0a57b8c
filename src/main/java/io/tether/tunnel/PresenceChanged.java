package io.tether.tunnel;

/** Published when a device comes online, goes offline or its targets' status changes. */
public record PresenceChanged(long deviceId, boolean online) {}
