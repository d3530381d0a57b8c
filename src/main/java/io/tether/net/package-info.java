/**
 * TCP plumbing shared by the portal's listeners: port pools for link ports and raw ingress (ranges,
 * probe binds, free-port search), binding a listener within a timeout, whose connection it is
 * behind a balancer (PROXY protocol v2 from a trusted proxy), and ending a connection whose peer
 * stopped reading.
 */
package io.tether.net;
