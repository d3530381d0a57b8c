package io.tether.device;

/** A target a device offers (a serial port or a TCP service), with its last reported status. */
public record DeviceTarget(String name, String kind, String description, String status) {}
