/** The device registry: devices, groups, credentials and presence. */
package io.tether.device;
