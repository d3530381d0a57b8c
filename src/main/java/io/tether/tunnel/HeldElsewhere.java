package io.tether.tunnel;

/**
 * This node's tunnel of a device lost its route to another installation of the agent that holds the
 * device on another live node: like a second installation on one node, it is refused ({@code 4004
 * duplicate-agent}) and the holder keeps the device.
 */
record HeldElsewhere(long deviceId, long generation, String holderNode, String holderInstance) {}
