package io.tether.tunnel;

/** The device a tunnel authenticated as. */
public record DeviceIdentity(long deviceId, String name, long groupId) {}
