/**
 * The relay between cluster nodes: a user reaches any node, the device's tunnel lives on one. The
 * node the user reached authenticates and authorises, then opens a WebSocket to the owner node's
 * internal listener ({@code TETHER_NODE_URL}) carrying a short-lived {@link
 * io.tether.relay.RelayAssertion} MACed with a key only for this purpose, and splices both sockets
 * frame by frame with a bounded queue each way. The owner re-reads the user, asks the access policy
 * itself and serves the socket as if it were its own: one session hub per device target, on the
 * node holding its tunnel.
 */
package io.tether.relay;
