package io.tether.device;

/**
 * Fired in the transaction that stored a device's last console match; after the commit the live
 * stream tells the fleet page, which shows the badge without a reload.
 */
record ConsoleMatchShown(long deviceId, long groupId, DeviceApi.ConsoleMatch match) {}
